#include "daemon/jobs/jobs.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "core/config/config.hpp"
#include "core/db/database.hpp"
#include "core/hours/hours.hpp"
#include "core/housekeeping/prune.hpp"
#include "core/mail/sender.hpp"
#include "core/reminders/reminders.hpp"
#include "core/webhooks/sender.hpp"

namespace booking::daemon::jobs {
namespace {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

// How often the mailer looks for due emails: a new one goes out within about
// this long (SPEC: within 2 s). The query is one index probe.
constexpr auto kMailPoll = std::chrono::milliseconds(1000);
// How often the scheduler prunes what anonymous traffic leaves behind (failed
// logins, Idempotency-Keys); a run deletes in batches until nothing is left.
constexpr auto kPruneInterval = std::chrono::minutes(10);
// While the database is unreachable, one warning per job this often.
constexpr auto kWarnEvery = std::chrono::seconds(30);
// How often the slots are synced with the weekly hours (SPEC §10: at start
// and every hour); a day's slots are made up to a horizon ahead, so an hour
// late is never a day without slots.
constexpr auto kSlotSyncEvery = std::chrono::hours(1);
// A run that failed (the database away, a statement timed out) is tried again
// this soon when its loop's interval is longer: an hourly job does not wait
// an hour for a database that was back in seconds.
constexpr auto kRetryAfterFailure = std::chrono::milliseconds(std::chrono::minutes(1));

// One background loop: a timer on the io_context says when; a worker thread
// with its own database connection does the work. The timer is touched only
// by start() (before the io_context runs) and by the handler the worker posts
// after each run, so runs never overlap and the timer needs no strand.
class Loop {
  public:
    // Returns true when there is more to do at once.
    using Work = std::function<bool(pqxx::connection&, const std::atomic<bool>& stopping)>;

    Loop(net::io_context& io, std::string name, const Config::Database& database,
         std::chrono::milliseconds interval, Work work)
        : io_(io),
          timer_(io),
          name_(std::move(name)),
          database_url_(database.url),
          statement_timeout_(database.statement_timeout),
          interval_(interval),
          work_(std::move(work)) {}

    ~Loop() { stop(); }

    void start() {
        worker_ = std::thread([this] { run(); });
        arm(std::chrono::milliseconds(0));
    }

    void request_stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
    }

    void stop() {
        request_stop();
        if (worker_.joinable()) worker_.join();
    }

  private:
    void arm(std::chrono::milliseconds after) {
        if (stopping_) return;
        timer_.expires_after(after);
        timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping_) return;
            {
                std::lock_guard lock(mutex_);
                due_ = true;
            }
            wake_.notify_all();
        });
    }

    void run() {
        for (;;) {
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return due_ || stopping_.load(); });
                if (stopping_) return;
                due_ = false;
            }
            const auto outcome = run_once();
            if (stopping_) return;
            const auto after = !outcome   ? std::min(interval_, kRetryAfterFailure)
                               : *outcome ? std::chrono::milliseconds(0)
                                          : interval_;
            net::post(io_, [this, after] { arm(after); });
        }
    }

    // More to do at once (true) or not (false); nullopt: the run failed.
    std::optional<bool> run_once() {
        try {
            if (!connection_) connection_ = db::connect(database_url_, statement_timeout_);
            const bool again = work_(*connection_, stopping_);
            return again;
        } catch (const std::exception& e) {
            if (connection_ && !connection_->is_open()) connection_.reset();
            if (dynamic_cast<const pqxx::broken_connection*>(&e)) connection_.reset();
            const auto now = Clock::now();
            if (!last_warning_ || now - *last_warning_ >= kWarnEvery) {
                last_warning_ = now;
                spdlog::warn("{}: {} (trying again in {} ms)", name_, e.what(),
                             std::min(interval_, kRetryAfterFailure).count());
            }
            return std::nullopt;
        }
    }

    net::io_context& io_;
    net::steady_timer timer_;
    std::string name_;
    std::string database_url_;
    Seconds statement_timeout_;
    std::chrono::milliseconds interval_;
    Work work_;
    std::thread worker_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    std::atomic<bool> stopping_{false};
    // Used by the worker thread only.
    std::unique_ptr<pqxx::connection> connection_;
    std::optional<Clock::time_point> last_warning_;
};

}  // namespace

struct Jobs::Impl {
    std::unique_ptr<mail::MailSender> sender;
    std::unique_ptr<Loop> mailer;
    std::unique_ptr<webhooks::WebhookSender> webhook_sender;
    std::unique_ptr<Loop> webhooks;
    std::unique_ptr<Loop> reminders;
    std::unique_ptr<Loop> slot_sync;
    std::unique_ptr<Loop> housekeeping;
};

Jobs::Jobs(net::io_context& io, const Config& config, const tokens::LinkKey& links)
    : impl_(std::make_unique<Impl>()) {
    mail::MailSettings settings = mail::mail_settings(config);
    settings.message.links = links;
    auto templates = mail::TemplateSet::load(config.mail.templates_dir);
    auto transport = mail::make_transport(settings);
    if (settings.transport == "smtp" && !settings.smtp.username.empty() &&
        settings.smtp.tls == "none")
        spdlog::warn("mail.smtp: the password goes to {} unencrypted (mail.smtp.tls = \"none\")",
                     settings.smtp.host);
    spdlog::info("mailer: transport {}{}", settings.transport,
                 settings.transport == "smtp"
                     ? " " + settings.smtp.host + ":" + std::to_string(settings.smtp.port) +
                           " (tls " + settings.smtp.tls + ")"
                 : settings.transport == "file" ? " into " + settings.spool_dir
                                                : std::string());
    impl_->sender = std::make_unique<mail::MailSender>(std::move(settings), std::move(templates),
                                                       std::move(transport));
    impl_->mailer = std::make_unique<Loop>(
        io, "mailer", config.database, kMailPoll,
        [sender = impl_->sender.get()](pqxx::connection& conn, const std::atomic<bool>& stopping) {
            const auto began = Clock::now();
            const auto report = sender->deliver_due(conn, [&] { return stopping.load(); });
            if (report.claimed > 0) {
                const auto ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began)
                        .count();
                const auto& transport = sender->transport();
                spdlog::info("mailer: {} sent, {} to retry, {} failed, {} skipped in {} ms{}",
                             report.sent, report.retried, report.failed, report.skipped, ms,
                             std::string(transport.name()) == "smtp"
                                 ? " (" + std::to_string(transport.stats().connections) +
                                       " SMTP connections since start)"
                                 : std::string());
            }
            return false;
        });
    // Webhook deliveries go out like the email: within about kMailPoll of
    // being queued, on their own thread and connection.
    impl_->webhook_sender = std::make_unique<webhooks::WebhookSender>(
        webhooks::PostOptions{config.webhooks.timeout, config.webhooks.allow_private});
    impl_->webhooks = std::make_unique<Loop>(
        io, "webhooks", config.database, kMailPoll,
        [sender = impl_->webhook_sender.get()](pqxx::connection& conn,
                                               const std::atomic<bool>& stopping) {
            const auto report = sender->deliver_due(conn, [&] { return stopping.load(); });
            if (report.claimed > 0)
                spdlog::info("webhooks: {} sent, {} to retry, {} failed", report.sent,
                             report.retried, report.failed);
            return false;
        });
    if (config.reminders.enabled) {
        const Seconds lead = config.reminders.lead_time;
        impl_->reminders = std::make_unique<Loop>(
            io, "reminders", config.database,
            std::chrono::duration_cast<std::chrono::milliseconds>(config.reminders.interval),
            [lead](pqxx::connection& conn, const std::atomic<bool>&) {
                pqxx::work tx(conn);
                const auto queued = reminders::queue_due_reminders(tx, lead);
                tx.commit();
                spdlog::info("reminders: queued {}", queued.size());
                return false;
            });
    }
    impl_->slot_sync = std::make_unique<Loop>(
        io, "slots sync", config.database,
        std::chrono::duration_cast<std::chrono::milliseconds>(kSlotSyncEvery),
        [zone = BusinessZone(config.business.time_zone), horizon = config.business.horizon](
            pqxx::connection& conn, const std::atomic<bool>&) {
            const Time now = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
            pqxx::work tx(conn);
            // Another daemon syncing now does it for everyone: this one skips.
            const auto report =
                hours::sync(tx, zone, zone.date_of(now), zone.date_of(now + horizon), false, true);
            tx.commit();
            if (!report.ran)
                spdlog::info("slots sync: another process is syncing; skipped");
            else
                spdlog::info("slots sync: created {}, removed {}, kept {}", report.created,
                             report.removed, report.kept.size());
            return false;
        });
    const auth::LockoutPolicy lockout{config.auth.login_max_failures, config.auth.login_lockout};
    impl_->housekeeping = std::make_unique<Loop>(
        io, "housekeeping", config.database, kPruneInterval,
        [lockout](pqxx::connection& conn, const std::atomic<bool>&) {
            const Time now = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
            pqxx::work tx(conn);
            const long long failures = housekeeping::prune_login_failures(tx, lockout, now);
            const long long keys = housekeeping::prune_idempotency_keys(tx, now);
            tx.commit();
            if (failures + keys > 0)
                spdlog::info("housekeeping: forgot {} failed logins and {} idempotency keys",
                             failures, keys);
            // A full batch: more are waiting, at once.
            return failures == housekeeping::kPruneBatch || keys == housekeeping::kPruneBatch;
        });
}

Jobs::~Jobs() { stop(); }

void Jobs::start() {
    impl_->mailer->start();
    impl_->webhooks->start();
    if (impl_->reminders) impl_->reminders->start();
    impl_->slot_sync->start();
    impl_->housekeeping->start();
}

void Jobs::request_stop() {
    if (impl_->mailer) impl_->mailer->request_stop();
    if (impl_->webhooks) impl_->webhooks->request_stop();
    if (impl_->reminders) impl_->reminders->request_stop();
    if (impl_->slot_sync) impl_->slot_sync->request_stop();
    if (impl_->housekeeping) impl_->housekeeping->request_stop();
}

void Jobs::stop() {
    if (impl_->mailer) impl_->mailer->stop();
    if (impl_->webhooks) impl_->webhooks->stop();
    if (impl_->reminders) impl_->reminders->stop();
    if (impl_->slot_sync) impl_->slot_sync->stop();
    if (impl_->housekeeping) impl_->housekeeping->stop();
}

}  // namespace booking::daemon::jobs
