// config_keys: the configuration keys the code reads, for the install tests.
//   config_keys            one key a line: name, type, secret|-, reloadable|-
//   config_keys FILE...    parses each FILE as bookingd.toml; exit 1 naming
//                          the first that is not a valid configuration
// The keys come from core/config's one table (config_keys()), so a key added
// there must be documented in bookingd.toml(5) and etc/bookingd.toml.
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/config/config.hpp"

int main(int argc, char** argv) {
    if (argc == 1) {
        for (const auto& key : booking::config_keys())
            std::cout << key.name << '\t' << key.type << '\t' << (key.secret ? "secret" : "-")
                      << '\t' << (key.reloadable ? "reloadable" : "-") << '\n';
        return 0;
    }
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i]);
        if (!in) {
            std::cerr << "config_keys: cannot read " << argv[i] << '\n';
            return 1;
        }
        std::ostringstream text;
        text << in.rdbuf();
        try {
            booking::parse_config(text.str(), argv[i]);
        } catch (const std::exception& e) {
            std::cerr << "config_keys: " << e.what() << '\n';
            return 1;
        }
    }
    return 0;
}
