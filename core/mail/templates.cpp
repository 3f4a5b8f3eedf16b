#include "core/mail/templates.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "core/embedded.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace booking {
extern const std::vector<EmbeddedFile> kMailTemplates;
}

namespace booking::mail {
namespace {

namespace fs = std::filesystem;

// Anything bigger is not an email template but a mistake.
constexpr std::uintmax_t kMaxTemplateBytes = 64 * 1024;

[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& why) {
    throw ConfigError(source + (line ? ": line " + std::to_string(line) : std::string()) + ": " +
                      why);
}

std::string known_placeholders() {
    std::string out;
    for (const auto& name : template_placeholders())
        out += (out.empty() ? "{{" : ", {{") + name + "}}";
    return out;
}

std::string known_kinds() {
    std::string out;
    for (const auto& kind : email_kinds()) out += (out.empty() ? "" : ", ") + kind + ".txt";
    return out;
}

// Calls visit(name, begin, end) for each {{name}} of the text (begin and end
// delimit the whole placeholder with its braces); false when a "{{" is not closed.
template <class Visit>
bool for_each_placeholder(std::string_view text, Visit&& visit) {
    std::size_t at = 0;
    while ((at = text.find("{{", at)) != std::string_view::npos) {
        const auto close = text.find("}}", at + 2);
        if (close == std::string_view::npos) return false;
        visit(trim(text.substr(at + 2, close - at - 2)), at, close + 2);
        at = close + 2;
    }
    return true;
}

void check_placeholders(std::string_view line, const std::string& source, std::size_t number) {
    const auto& names = template_placeholders();
    const bool closed =
        for_each_placeholder(line, [&](std::string_view name, std::size_t, std::size_t) {
            if (std::find(names.begin(), names.end(), name) == names.end())
                fail(source, number,
                     "unknown placeholder {{" + printable(name) +
                         "}} (known: " + known_placeholders() + ")");
        });
    if (!closed) fail(source, number, "\"{{\" without a closing \"}}\"");
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == text.size()) break;
        start = end + 1;
    }
    return lines;
}

bool starts_with_subject(std::string_view line) {
    return line.size() >= 8 && to_lower_ascii(line.substr(0, 8)) == "subject:";
}

std::string read_file(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw ConfigError(path.string() + ": cannot be read (" + ec.message() + ")");
    if (size > kMaxTemplateBytes)
        throw ConfigError(path.string() + ": is larger than 64 KiB; not an email template");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw ConfigError(path.string() + ": cannot be read");
    return text.str();
}

}  // namespace

const std::vector<std::string>& email_kinds() {
    static const std::vector<std::string> kinds{"confirmation", "reminder",       "cancellation",
                                                "rescheduled",  "password_reset", "sign_in_link"};
    return kinds;
}

const std::vector<std::string>& template_placeholders() {
    static const std::vector<std::string> names{
        "business", "customer_name", "service",  "resource",    "booking_id",
        "date",     "time",          "end_time", "zone",        "time_zone",
        "duration", "notes",         "link",     "manage_link", "valid_for"};
    return names;
}

Template parse_template(std::string_view text, const std::string& kind, const std::string& source) {
    if (!is_valid_utf8(text)) fail(source, 0, "is not valid UTF-8");
    const auto lines = split_lines(text);
    std::size_t i = 0;
    // Comments and blank lines before the subject.
    while (i < lines.size() && (lines[i].empty() || lines[i].front() == '#')) ++i;
    if (i == lines.size())
        fail(source, 0, "is empty: expected \"Subject: ...\", an empty line and the body");
    if (!starts_with_subject(lines[i]))
        fail(source, i + 1,
             "expected \"Subject: ...\" (after the # comment lines), found \"" +
                 printable(lines[i]) + "\"");
    Template t;
    t.kind = kind;
    t.source = source;
    t.subject = std::string(trim(lines[i].substr(8)));
    if (t.subject.empty()) fail(source, i + 1, "the subject is empty");
    if (has_control_chars(t.subject) || t.subject.find('\t') != std::string::npos)
        fail(source, i + 1, "the subject contains control characters");
    check_placeholders(t.subject, source, i + 1);
    ++i;
    if (i < lines.size() && !trim(lines[i]).empty())
        fail(source, i + 1, "an empty line must follow the subject line");
    ++i;
    std::size_t last = lines.size();
    while (last > i && trim(lines[last - 1]).empty()) --last;
    if (last <= i) fail(source, 0, "the body is empty");
    for (std::size_t k = i; k < last; ++k) {
        for (char c : lines[k]) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f)
                fail(source, k + 1, "contains a control character");
        }
        check_placeholders(lines[k], source, k + 1);
        t.body += lines[k];
        t.body += '\n';
    }
    return t;
}

std::string render(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size() + 256);
    std::size_t copied = 0;
    for_each_placeholder(text, [&](std::string_view name, std::size_t begin, std::size_t end) {
        out.append(text.substr(copied, begin - copied));
        if (auto it = values.find(std::string(name)); it != values.end()) out += it->second;
        copied = end;
    });
    out.append(text.substr(copied));
    return out;
}

TemplateSet TemplateSet::load(const std::string& templates_dir) {
    TemplateSet set;
    for (const auto& file : kMailTemplates) {
        const std::string name(file.name);
        const std::string kind = name.substr(0, name.rfind('.'));
        set.templates_[kind] = parse_template(file.content, kind, "built-in template " + name);
    }
    for (const auto& kind : email_kinds())
        if (!set.templates_.count(kind))
            throw std::logic_error("no built-in email template for " + kind);
    if (templates_dir.empty()) return set;

    const fs::path dir(templates_dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw ConfigError("mail.templates_dir: " + templates_dir +
                          (fs::exists(dir, ec) ? ": is not a directory" : ": does not exist"));
    fs::directory_iterator entries(dir, ec);
    if (ec)
        throw ConfigError("mail.templates_dir: " + templates_dir + ": cannot be read (" +
                          ec.message() + ")");
    std::vector<fs::path> files;
    for (const auto& entry : entries)
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    const auto& kinds = email_kinds();
    for (const auto& path : files) {
        const std::string kind = path.stem().string();
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
            throw ConfigError(path.string() + ": not an email template; the templates are " +
                              known_kinds());
        set.templates_[kind] = parse_template(read_file(path), kind, path.string());
    }
    return set;
}

const Template& TemplateSet::get(std::string_view kind) const {
    auto it = templates_.find(kind);
    if (it == templates_.end()) throw std::out_of_range("no email template " + std::string(kind));
    return it->second;
}

}  // namespace booking::mail
