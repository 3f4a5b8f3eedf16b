#include "core/mail/transport.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/errors.hpp"

namespace booking::mail {
namespace {

std::string os_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// One file per message: written to a temporary name, synced, then renamed, so
// that whoever watches the spool directory never sees half a message. The
// name is the email's id, so a message sent again (after a crash) replaces
// its earlier copy.
class FileTransport : public Transport {
  public:
    explicit FileTransport(std::string dir) : dir_(std::move(dir)) {
        std::error_code ec;
        std::filesystem::create_directories(dir_, ec);
        if (ec || !std::filesystem::is_directory(dir_))
            throw ConfigError("mail.spool_dir: " + dir_ + ": cannot be created (" +
                              (ec ? ec.message() : std::string("not a directory")) + ")");
    }
    const char* name() const override { return "file"; }

    SendResult send(const ComposedMessage& message) override {
        const std::string base = "email-" + std::to_string(message.email_id) + ".eml";
        const std::string final_path = dir_ + "/" + base;
        const std::string temp_path = dir_ + "/." + base + ".tmp";
        if (auto error = write_file(temp_path, message.data)) {
            ::unlink(temp_path.c_str());
            return {SendStatus::Retry, *error};
        }
        if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
            const auto error = os_error("cannot rename " + temp_path);
            ::unlink(temp_path.c_str());
            return {SendStatus::Retry, error};
        }
        sync_directory();
        ++stats_.messages;
        return {SendStatus::Sent, {}};
    }

  private:
    static std::optional<std::string> write_file(const std::string& path, const std::string& data) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0) return os_error("cannot create " + path);
        std::size_t done = 0;
        while (done < data.size()) {
            const auto n = ::write(fd, data.data() + done, data.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const auto error = os_error("cannot write " + path);
                ::close(fd);
                return error;
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(fd) != 0) {
            const auto error = os_error("cannot sync " + path);
            ::close(fd);
            return error;
        }
        if (::close(fd) != 0) return os_error("cannot close " + path);
        return std::nullopt;
    }

    void sync_directory() const {
        const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return;
        ::fsync(fd);
        ::close(fd);
    }

    std::string dir_;
};

// Development: the message is "sent" by logging that it would be (never its
// text: bodies are not logged).
class LogTransport : public Transport {
  public:
    const char* name() const override { return "log"; }
    SendResult send(const ComposedMessage& message) override {
        spdlog::info("mail (log transport): email {} to {} ({} bytes) not sent anywhere",
                     message.email_id, message.to_address, message.data.size());
        ++stats_.messages;
        return {SendStatus::Sent, {}};
    }
};

}  // namespace

std::unique_ptr<Transport> make_file_transport(const std::string& spool_dir) {
    return std::make_unique<FileTransport>(spool_dir);
}

std::unique_ptr<Transport> make_log_transport() { return std::make_unique<LogTransport>(); }

std::unique_ptr<Transport> make_transport(const MailSettings& settings) {
    if (settings.transport == "smtp") return make_smtp_transport(settings.smtp);
    if (settings.transport == "file") return make_file_transport(settings.spool_dir);
    return make_log_transport();
}

}  // namespace booking::mail
