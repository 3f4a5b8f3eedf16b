#include "core/availability/day_cache.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace booking::availability {
namespace {

// How many recent changes a finished read is checked against. A read that took
// longer than this many changes is simply not kept.
constexpr std::size_t kKeptChanges = 4096;

bool overlaps(const Interval& a, const Interval& b) { return a.start < b.end && b.start < a.end; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

void append_slot_json(std::string& out, const FreeStart& s) {
    out += "{\"start\":\"";
    out += format_utc(s.start);
    out += "\",\"end\":\"";
    out += format_utc(s.end);
    out += "\",\"resources\":[";
    for (std::size_t i = 0; i < s.resources.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, s.resources[i]);
    }
    out += "]}";
}

DayAnswer::DayAnswer(const std::vector<FreeStart>& starts, Interval relevant)
    : relevant_(relevant) {
    starts_.reserve(starts.size());
    offsets_.reserve(starts.size() + 1);
    json_.reserve(starts.size() * 80);
    for (const auto& s : starts) {
        if (!json_.empty()) json_.push_back(',');
        offsets_.push_back(json_.size());
        starts_.push_back(s.start);
        append_slot_json(json_, s);
    }
    offsets_.push_back(json_.size() + 1);  // as if a comma followed the last one
}

std::string_view DayAnswer::slots_json(Time earliest, Time latest) const {
    const auto first = std::lower_bound(starts_.begin(), starts_.end(), earliest) - starts_.begin();
    const auto last = std::upper_bound(starts_.begin(), starts_.end(), latest) - starts_.begin();
    if (first >= last) return {};
    // From the first object to the comma after the last one, without that comma.
    return std::string_view(json_).substr(offsets_[first], offsets_[last] - 1 - offsets_[first]);
}

std::size_t DayAnswer::count(Time earliest, Time latest) const {
    const auto first = std::lower_bound(starts_.begin(), starts_.end(), earliest);
    const auto last = std::upper_bound(starts_.begin(), starts_.end(), latest);
    return first < last ? static_cast<std::size_t>(last - first) : 0;
}

DayCache::DayCache(std::size_t max_days) : max_days_(max_days) {}

std::shared_ptr<const DayAnswer> DayCache::find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    if (!enabled_) return nullptr;
    const auto it = days_.find(key);
    if (it == days_.end()) {
        ++misses_;
        return nullptr;
    }
    ++hits_;
    return it->second;
}

bool DayCache::changed_since(Ticket ticket, const Interval& range) const {
    if (ticket < forgotten_below_) return true;  // cannot tell: assume so
    for (auto it = changes_.rbegin(); it != changes_.rend() && it->ticket >= ticket; ++it)
        if (overlaps(it->range, range)) return true;
    return false;
}

void DayCache::keep(const std::string& key, std::shared_ptr<const DayAnswer> day, Ticket ticket) {
    if (!day || !enabled_ || changed_since(ticket, day->relevant())) return;
    if (days_.size() >= max_days_ && !days_.count(key))
        days_.clear();  // bounded; refilled on demand
    days_[key] = std::move(day);
}

struct DayCache::Load::Flight {
    Ticket ticket;
    std::vector<Waiter> waiters;
};

DayCache::Load::Load(DayCache& cache, std::string key, Ticket ticket,
                     std::shared_ptr<Flight> flight)
    : cache_(cache), key_(std::move(key)), ticket_(ticket), flight_(std::move(flight)) {}

DayCache::Load::~Load() {
    if (!finished_) finish(nullptr);
}

void DayCache::Load::finish(std::shared_ptr<const DayAnswer> day) {
    if (finished_) return;
    finished_ = true;
    std::vector<Waiter> waiters;
    {
        std::lock_guard lock(cache_.mutex_);
        cache_.keep(key_, day, ticket_);
        if (flight_) {
            waiters.swap(flight_->waiters);
            const auto it = cache_.flights_.find(key_);
            if (it != cache_.flights_.end() && it->second == flight_) cache_.flights_.erase(it);
        }
    }
    for (auto& waiter : waiters) waiter(day);
}

std::unique_ptr<DayCache::Load> DayCache::join_or_load(const std::string& key, Interval bound,
                                                       Waiter waiter) {
    std::lock_guard lock(mutex_);
    if (!enabled_) return std::unique_ptr<Load>(new Load(*this, key, next_, nullptr));
    if (const auto it = flights_.find(key);
        it != flights_.end() && !changed_since(it->second->ticket, bound)) {
        it->second->waiters.push_back(std::move(waiter));
        return nullptr;
    }
    auto flight = std::make_shared<Load::Flight>(Load::Flight{next_, {}});
    flights_[key] = flight;  // an overtaken read finishes for those who joined it
    return std::unique_ptr<Load>(new Load(*this, key, next_, std::move(flight)));
}

std::unique_ptr<DayCache::Load> DayCache::load_alone(const std::string& key) {
    std::lock_guard lock(mutex_);
    return std::unique_ptr<Load>(new Load(*this, key, next_, nullptr));
}

std::optional<bool> DayCache::has_service(const std::string& code) const {
    std::lock_guard lock(mutex_);
    if (!enabled_ || !services_) return std::nullopt;
    return services_->count(code) > 0;
}

std::uint64_t DayCache::services_ticket() const {
    std::lock_guard lock(mutex_);
    return services_generation_;
}

void DayCache::offer_services(std::set<std::string> codes, std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    if (enabled_ && ticket == services_generation_) services_ = std::move(codes);
}

void DayCache::invalidate(Time from, Time until) {
    const Interval range{from, until};
    std::lock_guard lock(mutex_);
    if (range.start <= kAllTime.start && range.end >= kAllTime.end) {
        services_.reset();
        ++services_generation_;
    }
    changes_.push_back({next_++, range});
    if (changes_.size() > kKeptChanges) {
        forgotten_below_ = changes_.front().ticket + 1;
        changes_.pop_front();
    }
    std::erase_if(days_,
                  [&](const auto& entry) { return overlaps(entry.second->relevant(), range); });
}

void DayCache::invalidate_all() { invalidate(kAllTime.start, kAllTime.end); }

void DayCache::set_enabled(bool enabled) {
    invalidate_all();
    std::lock_guard lock(mutex_);
    enabled_ = enabled;
}

void DayCache::enable(std::set<std::string> services, std::uint64_t ticket) {
    const bool current = services_ticket() == ticket;
    invalidate_all();
    std::lock_guard lock(mutex_);
    enabled_ = true;
    if (current) services_ = std::move(services);
}

std::size_t DayCache::size() const {
    std::lock_guard lock(mutex_);
    return days_.size();
}

DayCache::Stats DayCache::stats() const {
    std::lock_guard lock(mutex_);
    return Stats{enabled_, days_.size(), hits_, misses_};
}

}  // namespace booking::availability
