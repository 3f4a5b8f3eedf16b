// The booking site as HTTP sees it (SPEC §7): the pages and assets bookingd
// serves, their security headers, caching and compression, overrides from
// site.dir, and site.enabled = false. What it looks like and does in a
// browser is tests/browser.
#include <filesystem>

#include "tests/e2e/fixture.hpp"

namespace booking::e2e {
namespace {

void expect_security_headers(const HttpResult& r, const std::string& ancestors = "'none'") {
    const auto csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors " + ancestors), std::string::npos) << csp;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
}

TEST_F(E2eTest, EveryPageIsTheSiteWithItsSecurityHeaders) {
    for (const char* path :
         {"/", "/book/consultation", "/bookings", "/manage/42", "/reset", "/sign-in"}) {
        auto r = http().get(path);
        ASSERT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << path;
        EXPECT_NE(r.body.find("<script type=\"module\" src=\"/assets/app.js\">"),
                  std::string::npos);
        EXPECT_EQ(r.body.find("<script>"), std::string::npos) << "no inline script";
        EXPECT_EQ(r.body.find(" onclick="), std::string::npos);
        EXPECT_EQ(r.header("cache-control"), "no-cache") << path;
        expect_security_headers(r);
    }
    EXPECT_EQ(http().get("/book/").status, 404);
    EXPECT_EQ(http().get("/manage/abc").status, 404);
    EXPECT_EQ(http().get("/assets/nothing.js").status, 404);
    EXPECT_EQ(http().get("/assets/index.html").status, 404);
    EXPECT_EQ(http().get("/assets/..%2fetc%2fpasswd").status, 404);
}

// What Chromium sends when a person opens a page.
const Headers kBrowserVisit = {
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"}};

TEST_F(E2eTest, ABrowserOpeningAnUnknownPageGetsTheSiteAnswered404) {
    for (const char* path : {"/nope", "/book/", "/book/a/b", "/manage/abc", "/bookings/"}) {
        auto r = http().get(path, kBrowserVisit);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << path;
        EXPECT_NE(r.body.find("<script type=\"module\" src=\"/assets/app.js\">"), std::string::npos)
            << path;
        EXPECT_EQ(r.header("etag"), "") << "a 404 is never revalidated into a 304";
        EXPECT_EQ(r.header("cache-control"), "no-cache");
        EXPECT_NE(r.header("vary").find("Accept"), std::string::npos);
        expect_security_headers(r);
    }
    auto zipped = http().get("/nope", {kBrowserVisit[0], {"Accept-Encoding", "gzip"}});
    EXPECT_EQ(zipped.status, 404);
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    // The API, and clients that do not ask for a page, keep problem+json.
    for (const char* path : {"/v1/nope", "/v1", "/v1/bookings/x"}) {
        auto r = http().get(path, kBrowserVisit);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.header("content-type"), "application/problem+json") << path;
    }
    auto api_client = http().get("/nope");
    EXPECT_EQ(api_client.status, 404);
    EXPECT_EQ(api_client.header("content-type"), "application/problem+json");
    EXPECT_EQ(api_client.json()["status"], 404);
    auto posted = http().request("POST", "/nope", std::string("{}"),
                                 {kBrowserVisit[0], {"Content-Type", "application/json"}});
    EXPECT_EQ(posted.status, 404);
    EXPECT_EQ(posted.header("content-type"), "application/problem+json");
    EXPECT_EQ(http().get("/assets/nothing.js", kBrowserVisit).header("content-type"),
              "application/problem+json");
}

TEST_F(E2eTest, AssetsHaveTheirTypesAnETagAndAnswer304) {
    const std::map<std::string, std::string> types = {{"app.js", "text/javascript; charset=utf-8"},
                                                      {"style.css", "text/css; charset=utf-8"},
                                                      {"strings.json", "application/json"},
                                                      {"logo.svg", "image/svg+xml"}};
    for (const auto& [name, type] : types) {
        auto r = http().get("/assets/" + name);
        ASSERT_EQ(r.status, 200) << name;
        EXPECT_EQ(r.header("content-type"), type);
        EXPECT_EQ(r.header("cache-control"), "public, max-age=86400");
        expect_security_headers(r);
        const auto etag = r.header("etag");
        ASSERT_FALSE(etag.empty()) << name;
        auto again = http().get("/assets/" + name, {{"If-None-Match", etag}});
        EXPECT_EQ(again.status, 304) << name;
        EXPECT_TRUE(again.body.empty());
        EXPECT_EQ(again.header("etag"), etag);
        EXPECT_EQ(http().get("/assets/" + name, {{"If-None-Match", "\"other\""}}).status, 200);
    }
    auto page = http().get("/");
    EXPECT_EQ(http().get("/bookings", {{"If-None-Match", page.header("etag")}}).status, 304);
}

TEST_F(E2eTest, AssetsComeGzippedToClientsThatAcceptIt) {
    auto plain = http().get("/assets/app.js");
    auto zipped = http().get("/assets/app.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    EXPECT_EQ(zipped.header("vary"), "Accept-Encoding");
    EXPECT_LT(zipped.body.size(), plain.body.size() / 2);
    EXPECT_EQ(static_cast<unsigned char>(zipped.body[0]), 0x1f);  // the gzip magic
    EXPECT_EQ(static_cast<unsigned char>(zipped.body[1]), 0x8b);
    EXPECT_NE(zipped.header("etag"), plain.header("etag"));
    EXPECT_EQ(plain.header("content-encoding"), "");
    auto refused = http().get("/assets/app.js", {{"Accept-Encoding", "gzip;q=0, identity"}});
    EXPECT_EQ(refused.header("content-encoding"), "");
    EXPECT_EQ(refused.body, plain.body);
    EXPECT_EQ(http()
                  .get("/assets/app.js",
                       {{"Accept-Encoding", "gzip"}, {"If-None-Match", zipped.header("etag")}})
                  .status,
              304);
}

TEST_F(E2eTest, FilesInSiteDirReplaceTheBuiltInOnesAndEmbedOriginsAllowFraming) {
    const auto dir = work_dir_ + "/site";
    std::filesystem::create_directories(dir);
    write_file(dir + "/style.css", "body { background: hotpink; }\n");
    write_file(dir + "/strings.json", "{\"lang\": \"de\", \"home.lead\": \"Bitte wählen.\"}\n");
    write_file(dir + "/extra.js", "alert(1)\n");  // only files of built-in names are served
    start({{"site.dir", "\"" + dir + "\""},
           {"site.embed_origins", "[\"https://studio.example\", \"https://www.studio.example\"]"}});
    EXPECT_EQ(http().get("/assets/style.css").body, "body { background: hotpink; }\n");
    EXPECT_NE(http().get("/assets/strings.json").body.find("Bitte"), std::string::npos);
    EXPECT_EQ(http().get("/assets/extra.js").status, 404);
    EXPECT_EQ(http().get("/assets/logo.svg").status, 200);  // the built-in one
    expect_security_headers(http().get("/"), "https://studio.example https://www.studio.example");
}

TEST_F(E2eTest, WithTheSiteDisabledItsPathsAre404AndTheApiIsUnchanged) {
    start({{"site.enabled", "false"}});
    for (const char* path : {"/", "/book/consultation", "/bookings", "/assets/app.js"}) {
        auto r = http().get(path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
    }
    auto visit = http().get("/nope", kBrowserVisit);
    EXPECT_EQ(visit.status, 404);
    EXPECT_EQ(visit.header("content-type"), "application/problem+json");
    EXPECT_EQ(http().get("/v1/services").status, 200);
    EXPECT_EQ(http().get("/v1/business").status, 200);
}

}  // namespace
}  // namespace booking::e2e
