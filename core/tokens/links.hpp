#pragma once
// The secrets in emailed links (SPEC §8): manage (bm_), password reset (rt_)
// and sign-in (sl_). A token is its prefix and the unpadded base64url of a
// random 96-bit selector followed by the first 160 bits of
// HMAC-SHA256(link key, prefix + selector). The database keeps only the
// selector, which opens nothing by itself; the secret half is never stored nor
// logged, and the mailer can put it into an email whenever it sends one. A
// token whose MAC is wrong is refused here, before any query: guessing costs
// the guesser, not the database.
#include <optional>
#include <string>
#include <string_view>

namespace booking::tokens {

enum class Purpose { Manage, PasswordReset, SignIn };

// "bm_", "rt_", "sl_".
std::string_view prefix_of(Purpose purpose);

// A new random selector (libsodium), as stored: 16 base64url characters.
std::string new_selector();

class LinkKey {
  public:
    // The key is derived from auth.jwt_secret (HMAC-SHA256 with a label of its
    // own), so changing that secret revokes every link along with every JWT.
    explicit LinkKey(std::string_view jwt_secret);

    // The token for a stored selector.
    std::string token(Purpose purpose, std::string_view selector) const;

    // The selector of a token of that purpose whose MAC is right (compared in
    // constant time); nullopt for anything else.
    std::optional<std::string> selector_of(Purpose purpose, std::string_view token) const;

  private:
    unsigned char key_[32];
};

// Whether text is shaped like a token of any purpose (for redacting and
// telling a manage token from a JWT): a known prefix and 43 base64url characters.
bool looks_like_token(std::string_view text);

}  // namespace booking::tokens
