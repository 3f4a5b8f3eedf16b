// Template overrides in mail.templates_dir: a file per kind replaces the
// built-in one; a broken or unknown file, or a missing directory, is a
// configuration error that names it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "core/mail/templates.hpp"
#include "tests/support/database.hpp"

namespace booking::test {
namespace {

using booking::mail::TemplateSet;

class TemplateOverrides : public ::testing::Test {
  protected:
    void SetUp() override { dir_ = make_temp_dir("booking-templates"); }
    void TearDown() override { remove_tree(dir_); }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ + "/" + name) << text;
    }
    std::string error_of(const std::string& dir) {
        try {
            TemplateSet::load(dir);
        } catch (const booking::ConfigError& e) {
            return e.what();
        }
        return "no error";
    }
    std::string dir_;
};

TEST_F(TemplateOverrides, AFileReplacesTheBuiltInOfItsKindOnly) {
    write("reminder.txt", "Subject: Reminder: see you, {{customer_name}}\n\nBody {{date}}\n");
    write("README", "not a template: ignored");
    write("confirmation.txt~", "an editor's backup: ignored");
    const auto set = TemplateSet::load(dir_);
    EXPECT_EQ(set.get("reminder").subject, "Reminder: see you, {{customer_name}}");
    EXPECT_EQ(set.get("reminder").source, dir_ + "/reminder.txt");
    EXPECT_EQ(set.get("confirmation").source, "built-in template confirmation.txt");
}

TEST_F(TemplateOverrides, BrokenOrUnknownFilesAndMissingDirectoriesAreNamed) {
    write("cancellation.txt", "Subject: Booking cancelled\n\nHi {{nmae}}\n");
    EXPECT_NE(error_of(dir_).find(dir_ + "/cancellation.txt: line 3: unknown placeholder {{nmae}}"),
              std::string::npos)
        << error_of(dir_);
    std::filesystem::remove(dir_ + "/cancellation.txt");
    write("confirmaton.txt", "Subject: x\n\ny\n");
    EXPECT_NE(error_of(dir_).find(dir_ + "/confirmaton.txt: not an email template"),
              std::string::npos)
        << error_of(dir_);
    EXPECT_EQ(error_of(dir_ + "/missing"),
              "mail.templates_dir: " + dir_ + "/missing: does not exist");
    std::filesystem::remove(dir_ + "/confirmaton.txt");
    write("empty.txt", "");
    std::filesystem::remove(dir_ + "/empty.txt");
    write("reminder.txt", "");
    EXPECT_NE(error_of(dir_).find(dir_ + "/reminder.txt: is empty"), std::string::npos);
}

}  // namespace
}  // namespace booking::test
