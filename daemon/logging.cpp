#include "daemon/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace booking::daemon {
namespace {

void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
    static constexpr char hex[] = "0123456789abcdef";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                dest.append(std::string_view("\\\""));
                break;
            case '\\':
                dest.append(std::string_view("\\\\"));
                break;
            case '\n':
                dest.append(std::string_view("\\n"));
                break;
            case '\r':
                dest.append(std::string_view("\\r"));
                break;
            case '\t':
                dest.append(std::string_view("\\t"));
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    dest.append(esc, esc + sizeof esc);
                } else {
                    dest.push_back(ch);
                }
        }
    }
}

// %* in the json pattern: the message, escaped as a JSON string's content.
class JsonMessage : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessage>();
    }
};

// Paths come from clients: keep control characters out of text logs.
std::string printable(std::string_view text, std::size_t max = 256) {
    std::string out;
    for (char c : text.substr(0, max))
        out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
    if (text.size() > max) out += "...";
    return out;
}

}  // namespace

bool set_log_level(const std::string& level) {
    static const std::pair<const char*, spdlog::level::level_enum> levels[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"error", spdlog::level::err},
    };
    for (const auto& [name, value] : levels)
        if (level == name) {
            spdlog::set_level(value);
            return true;
        }
    return false;
}

void setup_logging(const std::string& level, const std::string& format) {
    auto logger = spdlog::stderr_logger_mt("bookingd");
    spdlog::set_default_logger(logger);
    if (format == "json") {
        auto formatter =
            std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        formatter->add_flag<JsonMessage>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
        spdlog::set_formatter(std::move(formatter));
    } else {
        spdlog::set_formatter(std::make_unique<spdlog::pattern_formatter>(
            "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
    }
    set_log_level(level);
    spdlog::flush_on(spdlog::level::info);
}

std::string logged_path(std::string_view path) {
    // A calendar feed's path is its secret (SPEC §9).
    constexpr std::string_view feeds = "/feeds/";
    if (path.substr(0, feeds.size()) == feeds) return "/feeds/[redacted]";
    return printable(path);
}

void log_request(const http::Request& request, int status, double seconds) {
    if (!spdlog::should_log(spdlog::level::info)) return;
    spdlog::info("{} {} {} {:.1f}ms id={} peer={}", printable(request.method_text),
                 logged_path(request.path), status, seconds * 1000.0, request.request_id,
                 request.peer);
}

}  // namespace booking::daemon
