#include "core/mail/settings.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/mail/templates.hpp"

namespace booking::mail {
namespace {

std::string read_password(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("mail.smtp.password_file: " + path + ": cannot be read");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty())
        throw ConfigError("mail.smtp.password_file: " + path + ": the first line is empty");
    return line;
}

}  // namespace

MailSettings mail_settings(const Config& config) {
    const auto& m = config.mail;
    MailSettings s;
    s.transport = m.transport;
    auto from = parse_mailbox(m.from);
    if (!from)
        throw ConfigError(config.source + ": mail.from: \"" + single_line(m.from) +
                          "\" is not an address (use \"Name <local@domain>\" or \"local@domain\")");
    s.message.from = *from;
    s.message.business_name = config.business.name;
    s.message.time_zone = config.business.time_zone;
    s.message.calendar = calendar_context(config);
    s.message.public_url = config.site.public_url;
    while (!s.message.public_url.empty() && s.message.public_url.back() == '/')
        s.message.public_url.pop_back();
    s.spool_dir = m.spool_dir;
    s.max_attempts = m.max_attempts;
    s.retry_base = m.retry_base;
    s.smtp.host = m.smtp.host;
    s.smtp.port = m.smtp.port;
    s.smtp.tls = m.smtp.tls;
    s.smtp.username = m.smtp.username;
    s.smtp.timeout = m.smtp.timeout;
    if (s.transport == "file" && s.spool_dir.empty())
        throw ConfigError(config.source +
                          ": mail.spool_dir: must name a directory for the file transport");
    if (s.transport == "smtp") {
        if (s.smtp.host.empty())
            throw ConfigError(config.source + ": mail.smtp.host: must not be empty");
        if (!m.smtp.password_file.empty() && s.smtp.username.empty())
            throw ConfigError(config.source +
                              ": mail.smtp.password_file is set but mail.smtp.username is empty");
        if (!s.smtp.username.empty()) {
            if (m.smtp.password_file.empty())
                throw ConfigError(config.source +
                                  ": mail.smtp.username is set but mail.smtp.password_file is "
                                  "empty");
            s.smtp.password = read_password(m.smtp.password_file);
        }
    }
    return s;
}

void validate_mail_config(const Config& config) {
    const MailSettings settings = mail_settings(config);
    if (settings.transport == "file") {
        std::error_code ec;
        const std::filesystem::path dir(settings.spool_dir);
        if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
            throw ConfigError(config.source + ": mail.spool_dir: " + settings.spool_dir +
                              " is not a directory");
    }
    TemplateSet::load(config.mail.templates_dir);
}

}  // namespace booking::mail
