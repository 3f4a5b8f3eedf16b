#pragma once
// The one way bookingd and bookingctl end a CLI11 parse (header-only: CLI11
// is header-only and only the two programs include this).
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string>

namespace booking {

// Parses argv into app. nullopt: go on. Otherwise the run ends here with that
// exit code: 0 after --help or --version (printed on stdout), usage_exit_code
// after one line on stderr naming the program and what was wrong.
inline std::optional<int> parse_arguments_or_exit(CLI::App& app, int argc, char** argv,
                                                  const std::string& program, int usage_exit_code) {
    try {
        app.parse(argc, argv);
        return std::nullopt;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        for (char& c : message)
            if (c == '\n') c = ' ';
        std::cerr << program << ": " << message << " (see --help)\n";
        return usage_exit_code;
    }
}

}  // namespace booking
