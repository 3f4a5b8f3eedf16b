#include "daemon/site.hpp"

#include <sodium.h>

#include <Poco/DeflatingStream.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/embedded.hpp"

namespace booking {
extern const std::vector<EmbeddedFile> kSiteFiles;  // daemon/site/, by cmake/Embed.cmake
}

namespace booking::daemon {
namespace {

// Pages are checked on every visit (a 304 is cheap); assets are kept a day,
// so that a restyle in site.dir reaches returning visitors by the next day.
constexpr const char* kPageCache = "no-cache";
constexpr const char* kAssetCache = "public, max-age=86400";
constexpr const char* kPage = "index.html";

std::string content_type_of(std::string_view name) {
    const auto dot = name.rfind('.');
    const auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "json") return "application/json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    return "application/octet-stream";
}

bool compressible(std::string_view content_type) {
    return content_type.starts_with("text/") || content_type == "application/json" ||
           content_type == "image/svg+xml";
}

std::string gzip(const std::string& data) {
    std::ostringstream out;
    {
        Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
        deflate.write(data.data(), static_cast<std::streamsize>(data.size()));
        deflate.close();
    }
    return out.str();
}

std::string hash_hex(std::string_view data) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::string read_override(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in.good() && !in.eof()) throw std::runtime_error("site.dir: cannot read " + path.string());
    return content.str();
}

Site::File make_file(std::string_view name, std::string body) {
    Site::File f;
    f.content_type = content_type_of(name);
    f.body = std::move(body);
    const auto hash = hash_hex(f.body);
    f.etag = etag_of(f.body);
    if (compressible(f.content_type)) {
        auto packed = gzip(f.body);
        if (packed.size() < f.body.size()) {
            f.gzip = std::move(packed);
            f.gzip_etag = "\"" + hash + "-gz\"";
        }
    }
    return f;
}

std::string csp_of(const std::vector<std::string>& embed_origins) {
    std::string ancestors;
    for (const auto& o : embed_origins) {
        if (!ancestors.empty()) ancestors += ' ';
        ancestors += o;
    }
    if (ancestors.empty()) ancestors = "'none'";
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors " +
           ancestors;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto semi = item.find(';');
        const auto coding = trim(item.substr(0, semi));
        if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
        if (semi != std::string_view::npos) {
            auto q = trim(item.substr(semi + 1));
            if (q.starts_with("q=") &&
                std::strtod(std::string(q.substr(2, 8)).c_str(), nullptr) <= 0.0)
                continue;
        }
        return true;
    }
    return false;
}

std::string etag_of(std::string_view body) { return "\"" + hash_hex(body) + "\""; }

bool etag_matches(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
        if (item == "*" || item == etag) return true;
    }
    return false;
}

Site::Site(const Config& config) : csp_(csp_of(config.site.embed_origins)) {
    for (const auto& f : kSiteFiles) {
        std::string body(f.content);
        if (!config.site.dir.empty()) {
            const auto path = std::filesystem::path(config.site.dir) / std::string(f.name);
            std::error_code ec;
            if (std::filesystem::is_regular_file(path, ec)) body = read_override(path);
        }
        files_.emplace(std::string(f.name), make_file(f.name, std::move(body)));
    }
}

const Site::File& Site::page() const { return files_.find(kPage)->second; }

const Site::File* Site::asset(std::string_view name) const {
    if (name == kPage) return nullptr;
    const auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
}

http::Response Site::answer(const File& file, const http::Request& request, bool is_page) const {
    const bool zipped = !file.gzip.empty() && accepts_gzip(request.accept_encoding);
    const std::string& etag = zipped ? file.gzip_etag : file.etag;
    http::Response r;
    if (!request.if_none_match.empty() &&
        (etag_matches(request.if_none_match, file.etag) ||
         (!file.gzip_etag.empty() && etag_matches(request.if_none_match, file.gzip_etag)))) {
        r.status = 304;
        r.content_type.clear();
    } else {
        r.status = 200;
        r.content_type = file.content_type;
        r.body = zipped ? file.gzip : file.body;
        if (zipped) r.header("Content-Encoding", "gzip");
    }
    r.header("ETag", etag);
    if (!file.gzip.empty()) r.header("Vary", "Accept-Encoding");
    add_headers(r, is_page);
    return r;
}

http::Response Site::missing_page(const http::Request& request) const {
    const File& file = page();
    const bool zipped = !file.gzip.empty() && accepts_gzip(request.accept_encoding);
    http::Response r;
    r.status = 404;
    r.content_type = file.content_type;
    r.body = zipped ? file.gzip : file.body;
    if (zipped) r.header("Content-Encoding", "gzip");
    r.header("Vary", file.gzip.empty() ? "Accept" : "Accept, Accept-Encoding");  // others: JSON
    add_headers(r, true);
    return r;
}

void Site::add_headers(http::Response& r, bool is_page) const {
    r.header("Cache-Control", is_page ? kPageCache : kAssetCache);
    r.header("Content-Security-Policy", csp_);
    r.header("X-Content-Type-Options", "nosniff");
    r.header("Referrer-Policy", "no-referrer");
}

bool is_page_visit(const http::Request& request) {
    if (request.method != http::Method::Get) return false;
    const std::string_view path = request.path;
    if (path == "/v1" || path.starts_with("/v1/")) return false;
    return request.accept.find("text/html") != std::string::npos;
}

}  // namespace booking::daemon
