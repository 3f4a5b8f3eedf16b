// The booking site's pages and assets (SPEC §7), from daemon/site.hpp. With
// site.enabled = false every one of these paths is a 404, as if absent.
#include "daemon/site.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

bool site_on(const ExchangePtr& ex) {
    if (ex->app.config.site.enabled && ex->app.site) return true;
    ex->respond(http::problem(404, "there is no such resource"));
    return false;
}

void page(const ExchangePtr& ex) {
    if (!site_on(ex)) return;
    const auto& site = *ex->app.site;
    ex->respond(site.answer(site.page(), ex->request, true));
}

void asset(const ExchangePtr& ex) {
    if (!site_on(ex)) return;
    const auto& site = *ex->app.site;
    const std::string_view path = ex->request.path;
    const auto* file = site.asset(path.substr(path.rfind('/') + 1));
    if (!file) return ex->respond(http::problem(404, "there is no such resource"));
    ex->respond(site.answer(*file, ex->request, false));
}

}  // namespace

void add_site_routes(Router& router) {
    for (const char* path :
         {"/", "/book/{service}", "/bookings", "/manage/{id}", "/reset", "/sign-in"})
        router.add(http::Method::Get, path, page);
    router.add(http::Method::Get, "/assets/{file}", asset);
}

}  // namespace booking::daemon
