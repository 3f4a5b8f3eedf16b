// Password hashes as stored in users.password_hash.
#include <gtest/gtest.h>

#include <string>

#include "core/users/password.hpp"

namespace booking {
namespace {

using namespace std::string_literals;

TEST(Password, HashIsArgon2idWithOwaspParameters) {
    std::string hash = hash_password("correct horse battery staple");
    // m is in KiB: 19 MiB = 19456 KiB; t = 2 passes; one lane.
    EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
    EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST(Password, VerifiesTheRightPasswordOnly) {
    std::string hash = hash_password("correct horse battery staple");
    EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, "Correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, "correct horse battery stapl"));
    EXPECT_FALSE(verify_password(hash, ""));
}

TEST(Password, SamePasswordHashesDifferentlyEachTime) {
    std::string a = hash_password("hunter22");
    std::string b = hash_password("hunter22");
    EXPECT_NE(a, b);
    EXPECT_TRUE(verify_password(a, "hunter22"));
    EXPECT_TRUE(verify_password(b, "hunter22"));
}

TEST(Password, EveryByteCountsIncludingNulAndUtf8) {
    std::string with_nul = "abc\0def"s;
    std::string hash = hash_password(with_nul);
    EXPECT_TRUE(verify_password(hash, with_nul));
    EXPECT_FALSE(verify_password(hash, "abc"));
    std::string utf8 = hash_password("pässwörd ✓");
    EXPECT_TRUE(verify_password(utf8, "pässwörd ✓"));
    EXPECT_FALSE(verify_password(utf8, "passwword ✓"));
}

TEST(Password, MalformedOrTamperedHashesNeverVerify) {
    std::string hash = hash_password("hunter22");
    EXPECT_FALSE(verify_password("", "hunter22"));
    EXPECT_FALSE(verify_password("hunter22", "hunter22"));
    EXPECT_FALSE(verify_password(hash.substr(0, hash.size() - 4), "hunter22"));
    EXPECT_FALSE(verify_password(hash + "\0"s, "hunter22"));
    EXPECT_FALSE(verify_password(std::string(4096, 'x'), "hunter22"));
    std::string tampered = hash;
    char& c = tampered[tampered.size() - 10];  // inside the digest, away from padding bits
    c = c == 'A' ? 'Q' : 'A';
    EXPECT_FALSE(verify_password(tampered, "hunter22"));
}

}  // namespace
}  // namespace booking
