#pragma once
// The route table: METHOD + path pattern ("/v1/bookings/{id}/cancel") -> handler.
// {id} segments match positive integers only (anything else is a 404); other
// {name} segments match any one non-empty segment (the handler reads the path).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/message.hpp"
#include "daemon/metrics.hpp"

namespace booking::daemon {

class Exchange;
using Handler = void (*)(const std::shared_ptr<Exchange>& exchange);

class Router {
  public:
    void add(http::Method method, std::string pattern, Handler handler);

    struct Match {
        Handler handler = nullptr;
        int route = -1;              // index for metrics
        bool path_known = false;     // some route has this path (so: 405, not 404)
        std::string allow;           // the methods of that path, for 405
        std::vector<long long> ids;  // the {id} segments
    };
    Match match(http::Method method, std::string_view path) const;

    std::vector<Metrics::RouteLabel> labels() const;

  private:
    struct Route {
        http::Method method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    static bool match_path(const Route& route, const std::vector<std::string_view>& segments,
                           std::vector<long long>& ids);
    std::vector<Route> routes_;
};

}  // namespace booking::daemon
