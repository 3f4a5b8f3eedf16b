#pragma once
// The editable email templates (SPEC §4): one file per kind, built into the
// binaries from etc/templates/ and overridden per kind by <kind>.txt in
// mail.templates_dir. A template is comment lines (#...), then
// "Subject: ...", an empty line and the body; {{name}} placeholders are
// filled in when an email is composed.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace booking::mail {

// The kinds of email, in the order of the outbox's CHECK constraint.
const std::vector<std::string>& email_kinds();
// The placeholders a template may use.
const std::vector<std::string>& template_placeholders();

struct Template {
    std::string kind;
    std::string source;  // "built-in confirmation.txt" or the override's path
    std::string subject;
    std::string body;
};

// Parses a template's text; throws ConfigError "<source>: line N: why" for a
// missing subject, an unknown or unclosed placeholder, invalid UTF-8 or an
// empty body.
Template parse_template(std::string_view text, const std::string& kind, const std::string& source);

// Replaces each {{name}} (spaces inside the braces allowed) by values[name].
// The text was checked by parse_template, so every name is known.
std::string render(std::string_view text, const std::map<std::string, std::string>& values);

class TemplateSet {
  public:
    // The built-in templates, with <kind>.txt from templates_dir (when not
    // empty) taking the place of each built-in one. Throws ConfigError naming
    // the directory or file for a directory that cannot be read, a file that
    // cannot be read or is broken, or a *.txt file that is not a kind.
    static TemplateSet load(const std::string& templates_dir);

    const Template& get(std::string_view kind) const;  // throws std::out_of_range
    const std::map<std::string, Template, std::less<>>& all() const { return templates_; }

  private:
    std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace booking::mail
