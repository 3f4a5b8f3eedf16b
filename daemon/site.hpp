#pragma once
// The customers' booking site (SPEC §7): the files of daemon/site/ compiled in,
// each replaced by the file of the same name in site.dir when there is one,
// read once at start with its ETag and, where it helps, its gzip form ready.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/config.hpp"
#include "daemon/http/message.hpp"

namespace booking::daemon {

class Site {
  public:
    struct File {
        std::string content_type;
        std::string body;
        std::string gzip;  // empty when not worth it
        std::string etag;  // quoted; the gzip form's ends in -gz"
        std::string gzip_etag;
    };

    // Throws std::runtime_error naming an override that cannot be read.
    explicit Site(const Config& config);

    // The page every site path serves (the pages are one document; site/app.js
    // shows the one the path names), and an asset by file name.
    const File& page() const;
    const File* asset(std::string_view name) const;

    // The answer for a file: 200 (gzip when accept_encoding allows) or 304
    // for a matching If-None-Match, with the headers of SPEC §7.
    http::Response answer(const File& file, const http::Request& request, bool is_page) const;

    // The page answered 404 for a path no route knows (site/app.js shows
    // "Page not found" there): never a 304 and without an ETag.
    http::Response missing_page(const http::Request& request) const;

  private:
    void add_headers(http::Response& response, bool is_page) const;

    std::map<std::string, File, std::less<>> files_;
    std::string csp_;
};

// Whether a request for an unknown path is a person's browser asking for a
// page (GET, outside /v1/, Accept naming text/html): it gets the site's 404
// page; every other client keeps the problem+json 404 of the API.
bool is_page_visit(const http::Request& request);
// Whether an Accept-Encoding header accepts gzip (not with q=0).
bool accepts_gzip(std::string_view accept_encoding);
// Whether an If-None-Match header names etag (or is *).
bool etag_matches(std::string_view if_none_match, std::string_view etag);
// A strong ETag of exactly these bytes (quoted; a hash of 128 bits).
std::string etag_of(std::string_view body);

}  // namespace booking::daemon
