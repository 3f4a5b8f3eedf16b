#pragma once
// The mailer's settings, resolved from [mail] (SPEC §2): the sender parsed,
// the SMTP password read from its file. Checked at startup, so that a wrong
// mail setting stops bookingd with a message naming the key, not the first email.
#include <string>

#include "core/config/config.hpp"
#include "core/mail/message.hpp"

namespace booking::mail {

struct SmtpSettings {
    std::string host;
    int port = 25;
    std::string tls;  // none | starttls | tls
    std::string username;
    std::string password;  // from password_file; never logged
    Seconds timeout{10};
};

struct MailSettings {
    std::string transport;  // smtp | file | log
    MessageSettings message;
    std::string spool_dir;
    int max_attempts = 8;
    Seconds retry_base{60};
    SmtpSettings smtp;
};

// Throws ConfigError naming the key: mail.from without a valid address, an
// unreadable mail.smtp.password_file, a username without a password, an empty
// spool_dir for the file transport.
MailSettings mail_settings(const Config& config);

// Everything the mailer needs, checked without side effects: mail_settings
// and the templates (TemplateSet::load). Throws ConfigError.
void validate_mail_config(const Config& config);

}  // namespace booking::mail
