// The config loader: TOML text -> a Config, or a ConfigError (never another
// exception, never a crash); a Config it accepts prints and loads again.
#include "core/config/config.hpp"
#include "core/errors.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const std::string text(fuzz::text_of(data, size));
    try {
        (void)parse_config(text, "fuzz.toml");
    } catch (const ConfigError&) {
    }
    return 0;
}
