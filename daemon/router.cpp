#include "daemon/router.hpp"

#include "core/text.hpp"
#include "daemon/http/input.hpp"

namespace booking::daemon {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    for (;;) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

}  // namespace

void Router::add(http::Method method, std::string pattern, Handler handler) {
    Route route{method, pattern, {}, handler};
    for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
    routes_.push_back(std::move(route));
}

bool Router::match_path(const Route& route, const std::vector<std::string_view>& segments,
                        std::vector<long long>& ids) {
    if (route.segments.size() != segments.size()) return false;
    ids.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (route.segments[i] == "{id}") {
            auto id = parse_id(segments[i]);
            if (!id) return false;
            ids.push_back(*id);
        } else if (route.segments[i].starts_with('{')) {
            if (segments[i].empty()) return false;  // {name}: any one non-empty segment
        } else if (route.segments[i] != segments[i]) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(http::Method method, std::string_view path) const {
    Match m;
    const auto segments = split_path(path);
    std::vector<long long> ids;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& route = routes_[i];
        if (!match_path(route, segments, ids)) continue;
        m.path_known = true;
        if (!m.allow.empty()) m.allow += ", ";
        m.allow += http::to_string(route.method);
        if (route.method == method && !m.handler) {
            m.handler = route.handler;
            m.route = static_cast<int>(i);
            m.ids = ids;
        }
    }
    return m;
}

std::vector<Metrics::RouteLabel> Router::labels() const {
    std::vector<Metrics::RouteLabel> out;
    for (const auto& r : routes_)
        out.push_back({std::string(http::to_string(r.method)), r.pattern});
    return out;
}

}  // namespace booking::daemon
