// Email templates: the built-in ones, the format of an override, and broken
// templates refused with the file and line named.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/mail/templates.hpp"

namespace {

using namespace booking::mail;

std::string error_of(const std::string& text) {
    try {
        parse_template(text, "reminder", "/etc/bookingd/templates/reminder.txt");
    } catch (const booking::ConfigError& e) {
        return e.what();
    }
    return "no error";
}

TEST(MailTemplates, BuiltInsExistForEveryKindWithTheSubjectsSpecSays) {
    const auto set = TemplateSet::load("");
    EXPECT_EQ(set.all().size(), 6u);
    EXPECT_EQ(set.get("confirmation").subject.rfind("Booking confirmed", 0), 0u);
    EXPECT_EQ(set.get("reminder").subject.rfind("Reminder:", 0), 0u);
    EXPECT_EQ(set.get("cancellation").subject.rfind("Booking cancelled", 0), 0u);
    EXPECT_EQ(set.get("rescheduled").subject.rfind("Booking rescheduled", 0), 0u);
    EXPECT_EQ(set.get("password_reset").subject.rfind("Reset your password", 0), 0u);
    EXPECT_EQ(set.get("sign_in_link").subject.rfind("Your sign-in link", 0), 0u);
    for (const auto& [kind, t] : set.all()) {
        EXPECT_EQ(t.source, "built-in template " + kind + ".txt");
        if (kind == "password_reset" || kind == "sign_in_link") {
            EXPECT_NE(t.body.find("{{link}}"), std::string::npos) << kind;
            continue;
        }
        if (kind != "cancellation") {
            EXPECT_NE(t.body.find("{{manage_link}}"), std::string::npos) << kind;
        }
        for (const char* needed :
             {"{{service}}", "{{date}}", "{{time}}", "{{zone}}", "{{time_zone}}", "{{resource}}",
              "{{booking_id}}", "{{business}}"})
            EXPECT_NE(t.body.find(needed), std::string::npos) << kind << " lacks " << needed;
    }
}

TEST(MailTemplates, CommentsSubjectEmptyLineBody) {
    const auto t = parse_template(
        "# a comment\n#another\n\nSubject:  Reminder: {{service}}  \r\n\r\nHi {{ customer_name "
        "}}\n\n"
        "Bye\n\n\n",
        "reminder", "x.txt");
    EXPECT_EQ(t.subject, "Reminder: {{service}}");
    EXPECT_EQ(t.body, "Hi {{ customer_name }}\n\nBye\n");
    EXPECT_EQ(render(t.body, {{"customer_name", "Ann"}}), "Hi Ann\n\nBye\n");
    EXPECT_EQ(render("{{a}}{{b}} }} {", {{"a", "1"}, {"b", "{{a}}"}}), "1{{a}} }} {");
}

TEST(MailTemplates, BrokenTemplatesNameTheFileAndLine) {
    const std::string file = "/etc/bookingd/templates/reminder.txt";
    EXPECT_EQ(error_of(""),
              file + ": is empty: expected \"Subject: ...\", an empty line and the body");
    EXPECT_EQ(error_of("# only a comment\n"),
              file + ": is empty: expected \"Subject: ...\", an empty line and the body");
    EXPECT_EQ(error_of("Hello\n\nbody"),
              file +
                  ": line 1: expected \"Subject: ...\" (after the # comment lines), found "
                  "\"Hello\"");
    EXPECT_EQ(error_of("Subject:   \n\nbody"), file + ": line 1: the subject is empty");
    EXPECT_EQ(error_of("Subject: x\nbody"),
              file + ": line 2: an empty line must follow the subject line");
    EXPECT_EQ(error_of("Subject: x\n\n\n  \n"), file + ": the body is empty");
    EXPECT_NE(error_of("#c\nSubject: x\n\nHi {{servise}}\n")
                  .find(file + ": line 4: unknown placeholder {{servise}}"),
              std::string::npos)
        << error_of("#c\nSubject: x\n\nHi {{servise}}\n");
    EXPECT_EQ(error_of("Subject: {{service\n\nbody"),
              file + ": line 1: \"{{\" without a closing \"}}\"");
    EXPECT_EQ(error_of("Subject: x\n\nbad \xff byte"), file + ": is not valid UTF-8");
    EXPECT_EQ(error_of("Subject: x\n\nbell \x07"), file + ": line 3: contains a control character");
}

}  // namespace
