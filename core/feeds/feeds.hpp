#pragma once
// Staff calendar feeds (SPEC §9): a secret URL per feed, for one resource or
// for all, that a calendar app subscribes to. Only the SHA-256 of the token
// is stored; a revoked feed is kept (revoked_at) and answers 404 like an
// unknown one.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/export/export.hpp"
#include "core/time/business_time.hpp"

namespace booking::feeds {

struct Feed {
    long long id = 0;
    std::string name;
    std::optional<std::string> resource;  // code; nullopt: every resource
    std::optional<Time> revoked_at;
    Time created_at{};
};
void to_json(nlohmann::json& out, const Feed& feed);

struct Created {
    Feed feed;
    std::string token;  // shown once, inside the URL
};
// resource nullopt: all. Throws NotFound("...", "resource"), Invalid("--name").
Created add(pqxx::transaction_base& tx, const std::optional<std::string>& resource,
            const std::string& name);
std::vector<Feed> list(pqxx::transaction_base& tx);
// Throws NotFound; revoking a revoked feed changes nothing.
Feed revoke(pqxx::transaction_base& tx, long long id);

// "{public_url}/feeds/{token}.ics".
std::string feed_url(const std::string& public_url, const std::string& token);

// The live feed for the last path segment ("{token}.ics"), or nullopt when
// it names no feed (malformed, unknown or revoked: the same answer).
std::optional<Feed> find(pqxx::transaction_base& tx, std::string_view segment);

// The VCALENDAR: a VEVENT per confirmed booking of the feed's resource (or of
// all, with the resource in LOCATION) starting from 30 days before `now` up
// to `horizon` after it, by the exports' iCalendar writer.
std::string calendar(pqxx::transaction_base& tx, const Feed& feed, CalendarContext context,
                     Time now, Seconds horizon);

}  // namespace booking::feeds
