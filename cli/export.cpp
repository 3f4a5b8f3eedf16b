// bookingctl export bookings: streams from a cursor, for cron.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/export/export.hpp"

namespace bookingctl {
namespace {

struct ExportOptions {
    std::optional<std::string> from, to, status, output;
    std::string format = "csv";
};

std::string io_error(const std::string& what, const std::string& path) {
    return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

constexpr mode_t kExportMode = 0640;

// umask() can only be read by setting it: bookingctl is single-threaded here.
mode_t current_umask() {
    const mode_t mask = ::umask(077);
    ::umask(mask);
    return mask;
}

// Writes through a temporary file beside `path`, renamed into place only when
// complete, so a reader never sees half a file.
class AtomicFile {
  public:
    explicit AtomicFile(std::string path) : path_(std::move(path)) {
        std::string dir =
            path_.find('/') == std::string::npos ? "." : path_.substr(0, path_.rfind('/') + 1);
        std::string base = path_.substr(path_.rfind('/') + 1);
        if (base.empty())
            throw booking::Invalid("--output", "\"" + path_ + "\" names a directory, not a file");
        temp_ = (dir == "." ? std::string() : dir) + "." + base + ".tmp-XXXXXX";
        // mkstemp creates the file 0600; it is then opened to 0640 at most
        // (the owner and, for backups, its group: never others), and not even
        // that where the umask is stricter. Personal data (SPEC §5).
        int fd = mkstemp(temp_.data());
        if (fd < 0) throw std::runtime_error(io_error("create a temporary file for", path_));
        if (fchmod(fd, kExportMode & ~current_umask()) != 0) {
            close(fd);
            std::remove(temp_.c_str());
            throw std::runtime_error(io_error("set the permissions of", temp_));
        }
        close(fd);
        out_.rdbuf()->pubsetbuf(buffer_, sizeof buffer_);
        out_.open(temp_, std::ios::binary | std::ios::trunc);
        if (!out_) throw std::runtime_error(io_error("write", temp_));
    }
    ~AtomicFile() {
        if (!committed_) std::remove(temp_.c_str());
    }
    std::ostream& stream() { return out_; }
    void commit() {
        out_.flush();
        if (!out_) throw std::runtime_error(io_error("write", temp_));
        out_.close();
        int fd = open(temp_.c_str(), O_RDONLY);
        if (fd >= 0) fsync(fd), close(fd);
        if (std::rename(temp_.c_str(), path_.c_str()) != 0)
            throw std::runtime_error(io_error("rename into", path_));
        committed_ = true;
    }

  private:
    std::string path_, temp_;
    char buffer_[1 << 16];
    std::ofstream out_;
    bool committed_ = false;
};

}  // namespace

void add_export_commands(Registry& r, CLI::App& app) {
    auto* exp = r.noun(app, "export", "Exports for cron, spreadsheets and calendars",
                       "bookingctl export bookings --format csv --output bookings.csv");
    Context& ctx = r.ctx;
    auto o = std::make_shared<ExportOptions>();

    auto* bookings = r.verb(
        exp, "bookings",
        "Export bookings by start time as CSV (RFC 4180), JSON Lines or iCalendar; memory stays "
        "flat",
        "bookingctl export bookings --from -30 --to yesterday --format csv --output "
        "/var/backups/bookings.csv",
        [&ctx, o] {
            auto format = booking::parse_export_format(o->format);
            booking::bookings::BookingFilter filter;
            auto range = option_dates(ctx, o->from, o->to);
            filter.from = range.from;
            filter.to = range.to;
            if (o->status) filter.status = option_status(*o->status);
            auto calendar = booking::calendar_context(ctx.config());
            // However many bookings there are, the export runs to the end.
            ctx.unbounded_statements();
            // A consistent snapshot, read-only.
            auto run = [&](std::ostream& out) {
                pqxx::transaction<pqxx::isolation_level::repeatable_read,
                                  pqxx::readwrite_policy::read_only>
                    tx(ctx.connection());
                booking::export_bookings(tx, filter, format, out, calendar);
                tx.commit();
            };
            if (o->output) {
                AtomicFile file(*o->output);
                run(file.stream());
                file.commit();
            } else {
                static char buffer[1 << 16];
                std::cout.rdbuf()->pubsetbuf(buffer, sizeof buffer);
                run(std::cout);
            }
        });
    bookings->add_option("--from", o->from, "Bookings starting on or after this local date")
        ->type_name("DATE");
    bookings->add_option("--to", o->to, "Bookings starting on or before this local date")
        ->type_name("DATE");
    bookings->add_option("--status", o->status, "confirmed or cancelled")->type_name("STATUS");
    bookings->add_option("--format", o->format, "csv (default), jsonl or ics")
        ->type_name("csv|jsonl|ics");
    bookings
        ->add_option("--output", o->output,
                     "Write to FILE (atomically: temporary file, then rename)")
        ->type_name("FILE");
}

}  // namespace bookingctl
