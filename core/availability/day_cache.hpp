#pragma once
// Each day's free start times, kept in memory by bookingd so that most
// availability requests need no database work, and dropped as soon as the
// calendar under them changes.
//
// Coherence: whoever changes slots, bookings, services or resources calls
// invalidate() for the time range the change touches (bookingd after its own
// commits; its LISTEN connection for everyone else's, see
// daemon/jobs/calendar_listener). A day loaded from the database is stored only
// if no overlapping change was reported since the load began (fill tickets), so
// a load racing with a booking can never put the old calendar back. While
// nobody vouches for the invalidations (set_enabled(false), e.g. the LISTEN
// connection is down), nothing is served from or kept in the cache.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/availability/availability.hpp"

namespace booking::availability {

// Every instant: a change that can touch any day.
inline constexpr Interval kAllTime{Time(Seconds::min()), Time(Seconds::max())};

// A day's answer with no time limits applied (min_notice and horizon depend on
// the moment of the request): the free start times and their JSON objects.
class DayAnswer {
  public:
    // starts: sorted by start, as compute_availability returns them. relevant:
    // the range of time whose slots and bookings decided them.
    DayAnswer(const std::vector<FreeStart>& starts, Interval relevant);

    // The JSON objects (SPEC §3 availability "slots" items, comma-separated)
    // of the starts in [earliest, latest].
    std::string_view slots_json(Time earliest, Time latest) const;
    // How many starts lie in [earliest, latest].
    std::size_t count(Time earliest, Time latest) const;
    std::size_t size() const { return starts_.size(); }
    const Interval& relevant() const { return relevant_; }

  private:
    std::vector<Time> starts_;
    std::string json_;                  // every object, joined by commas
    std::vector<std::size_t> offsets_;  // where object i begins; one more past the end
    Interval relevant_;
};

// One JSON object of the "slots" array of an availability answer.
void append_slot_json(std::string& out, const FreeStart& start);
void append_json_string(std::string& out, std::string_view text);

class DayCache {
  public:
    using Ticket = std::uint64_t;

    explicit DayCache(std::size_t max_days = 20000);

    // key: whatever identifies the question (service, resource, date).
    std::shared_ptr<const DayAnswer> find(const std::string& key) const;

    // Loads of one day at the same time share one database read. A Load is
    // the right and duty to read the day: its ticket was taken before the
    // read, and finish() offers the answer and hands it to everyone who joined
    // (nullptr if the read failed: they read for themselves). A Load dropped
    // without finish() counts as failed.
    using Waiter = std::function<void(std::shared_ptr<const DayAnswer>)>;
    class Load {
      public:
        Load(const Load&) = delete;
        Load& operator=(const Load&) = delete;
        ~Load();
        Ticket ticket() const { return ticket_; }
        void finish(std::shared_ptr<const DayAnswer> day);

      private:
        friend class DayCache;
        struct Flight;
        Load(DayCache& cache, std::string key, Ticket ticket, std::shared_ptr<Flight> flight);
        DayCache& cache_;
        std::string key_;
        Ticket ticket_;
        std::shared_ptr<Flight> flight_;
        bool finished_ = false;
    };
    // Joins a read of key in progress that began after every change reported
    // for `bound` (a range that covers what the answer can depend on), and
    // returns nullptr: waiter gets its answer. Else the caller is to read it.
    std::unique_ptr<Load> join_or_load(const std::string& key, Interval bound, Waiter waiter);
    // A read of key that joins nothing and nobody joins (several days read at
    // once): its ticket is taken now, finish() offers the answer.
    std::unique_ptr<Load> load_alone(const std::string& key);

    // The codes of the active services, once a reader has offered them: an
    // unknown service is then answered without database work. Forgotten on
    // every change that can touch all days (a change to services announces
    // one, sql/0003) and while the cache is disabled. nullopt: not known now.
    std::optional<bool> has_service(const std::string& code) const;
    // Take before reading the services; offer what was read with it.
    std::uint64_t services_ticket() const;
    void offer_services(std::set<std::string> codes, std::uint64_t ticket);

    // Something changed in [from, until): every day it could matter to goes.
    void invalidate(Time from, Time until);
    void invalidate_all();

    // Disabling empties the cache; enabling starts from empty.
    void set_enabled(bool enabled);
    // Enabling, with the active services' codes already known (read once
    // changes to them are being reported, after taking services_ticket()):
    // from its first moment on, the cache answers an unknown service without
    // database work. If a change to everything came in since the ticket, the
    // codes may be stale and are not kept (has_service is unknown again).
    void enable(std::set<std::string> services, std::uint64_t ticket);
    std::size_t size() const;

    struct Stats {
        bool enabled = false;
        std::size_t days = 0;
        std::uint64_t hits = 0;    // find() answered
        std::uint64_t misses = 0;  // find() did not
    };
    Stats stats() const;

  private:
    struct Change {
        Ticket ticket;
        Interval range;
    };
    bool changed_since(Ticket ticket, const Interval& range) const;
    // With mutex_ held: keeps what a read that began at ticket found, unless
    // a change overlapping it was reported since.
    void keep(const std::string& key, std::shared_ptr<const DayAnswer> day, Ticket ticket);

    std::size_t max_days_;
    mutable std::mutex mutex_;
    bool enabled_ = false;
    mutable std::uint64_t hits_ = 0;
    mutable std::uint64_t misses_ = 0;
    Ticket next_ = 1;             // the ticket of the next change
    Ticket forgotten_below_ = 1;  // changes before this are no longer listed
    std::deque<Change> changes_;  // the latest changes, for keep()
    std::unordered_map<std::string, std::shared_ptr<const DayAnswer>> days_;
    std::unordered_map<std::string, std::shared_ptr<Load::Flight>> flights_;  // joinable reads
    std::optional<std::set<std::string>> services_;
    std::uint64_t services_generation_ = 0;  // goes up whenever services_ is forgotten
};

}  // namespace booking::availability
