#include "core/feeds/feeds.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>

#include "core/bookings/bookings.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/secret.hpp"
#include "core/text.hpp"

namespace booking::feeds {
namespace {

constexpr std::size_t kTokenBytes = 24;  // 192 bits
constexpr std::string_view kSuffix = ".ics";
constexpr std::size_t kMaxName = 200;

#define FEED_COLUMNS                                                          \
    "f.id, f.name, r.code, floor(extract(epoch FROM f.revoked_at))::bigint, " \
    "floor(extract(epoch FROM f.created_at))::bigint"

const db::Statement kResource{"feeds_resource", "SELECT id FROM resources WHERE code = $1"};
const db::Statement kAdd{"feeds_add",
                         "WITH f AS (INSERT INTO feeds (name, resource_id, token_hash) "
                         "VALUES ($1, $2, $3) RETURNING *) "
                         "SELECT " FEED_COLUMNS
                         " FROM f LEFT JOIN resources r ON r.id = f.resource_id"};
const db::Statement kList{"feeds_list", "SELECT " FEED_COLUMNS
                                        " FROM feeds f LEFT JOIN resources r ON r.id = "
                                        "f.resource_id ORDER BY f.id"};
const db::Statement kRevoke{"feeds_revoke",
                            "UPDATE feeds SET revoked_at = coalesce(revoked_at, now()) "
                            "WHERE id = $1"};
const db::Statement kGet{"feeds_get", "SELECT " FEED_COLUMNS
                                      " FROM feeds f LEFT JOIN resources r ON r.id = "
                                      "f.resource_id WHERE f.id = $1"};
const db::Statement kFind{"feeds_find", "SELECT " FEED_COLUMNS
                                        " FROM feeds f LEFT JOIN resources r ON r.id = "
                                        "f.resource_id WHERE f.token_hash = $1 AND "
                                        "f.revoked_at IS NULL"};

Feed from_row(const pqxx::row& r) {
    Feed f;
    f.id = r[0].as<long long>();
    f.name = r[1].as<std::string>();
    if (!r[2].is_null()) f.resource = r[2].as<std::string>();
    if (!r[3].is_null()) f.revoked_at = db::as_time(r[3]);
    f.created_at = db::as_time(r[4]);
    return f;
}

pqxx::binarystring hash_of(const std::string& token) {
    return pqxx::binarystring(secret::sha256(token));
}

bool token_shaped(std::string_view token) {
    return token.size() == 32 &&
           token.find_first_not_of(
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string_view::npos;
}

}  // namespace

void to_json(nlohmann::json& out, const Feed& f) {
    out = nlohmann::json{
        {"id", f.id},
        {"name", f.name},
        {"resource", f.resource ? nlohmann::json(*f.resource) : nlohmann::json(nullptr)},
        {"revoked_at", f.revoked_at ? nlohmann::json(format_utc(*f.revoked_at)) : nullptr},
        {"created_at", format_utc(f.created_at)}};
}

Created add(pqxx::transaction_base& tx, const std::optional<std::string>& resource,
            const std::string& name) {
    if (name.size() > kMaxName)
        throw Invalid("--name", "longer than " + std::to_string(kMaxName) + " characters");
    std::optional<long long> resource_id;
    if (resource) {
        auto found = db::exec(tx, kResource, *resource);
        if (found.empty())
            throw NotFound("no resource with code \"" + printable(*resource) + "\"", "resource");
        resource_id = found[0][0].as<long long>();
    }
    Created c;
    c.token = secret::random_base64url(kTokenBytes);
    c.feed = from_row(db::exec(tx, kAdd, name, resource_id, hash_of(c.token))[0]);
    return c;
}

std::vector<Feed> list(pqxx::transaction_base& tx) {
    std::vector<Feed> out;
    for (const auto& row : db::exec(tx, kList)) out.push_back(from_row(row));
    return out;
}

Feed revoke(pqxx::transaction_base& tx, long long id) {
    db::exec(tx, kRevoke, id);
    auto found = db::exec(tx, kGet, id);
    if (found.empty()) throw NotFound("no feed with id " + std::to_string(id), "feed");
    return from_row(found[0]);
}

std::string feed_url(const std::string& public_url, const std::string& token) {
    std::string base = public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/feeds/" + token + std::string(kSuffix);
}

std::optional<Feed> find(pqxx::transaction_base& tx, std::string_view segment) {
    if (segment.size() <= kSuffix.size() || !segment.ends_with(kSuffix)) return std::nullopt;
    const std::string token(segment.substr(0, segment.size() - kSuffix.size()));
    if (!token_shaped(token)) return std::nullopt;
    // Looked up by its hash: the index compares digests, never the secret.
    auto found = db::exec(tx, kFind, hash_of(token));
    if (found.empty()) return std::nullopt;
    return from_row(found[0]);
}

std::string calendar(pqxx::transaction_base& tx, const Feed& feed, CalendarContext context,
                     Time now, Seconds horizon) {
    bookings::BookingFilter filter;
    filter.from = now - std::chrono::days(30);
    filter.to = now + horizon;
    filter.status = "confirmed";
    filter.resource = feed.resource;
    context.staff_feed = true;
    std::ostringstream out;
    export_bookings(tx, filter, ExportFormat::Ics, out, context);
    return out.str();
}

}  // namespace booking::feeds
