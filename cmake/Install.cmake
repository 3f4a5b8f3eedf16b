# Install rules: the layout a Debian administrator expects (docs/operations.md).
#
#   cmake --install build/release --prefix /usr          # or DESTDIR=/stage ...
#
#   <prefix>/bin/bookingctl, <prefix>/sbin/bookingd
#   <prefix>/libexec/bookingd/bookingd-export           the nightly export
#   /etc/bookingd/bookingd.toml, /etc/bookingd/templates/*  (never overwritten)
#   <prefix>/lib/systemd/system/bookingd.service, bookingctl-export.{service,timer}
#   <prefix>/lib/sysusers.d/bookingd.conf, <prefix>/lib/tmpfiles.d/bookingd.conf
#   <prefix>/share/man/man{1,5,8}/..., <prefix>/share/bash-completion/completions/bookingctl
#   <prefix>/share/doc/bookingd/{operations.md,examples/}
#
# The configuration goes to /etc whatever the prefix, because that is where
# bookingd and bookingctl look for it (/etc/bookingd/bookingd.toml is compiled
# in); pass -DCMAKE_INSTALL_SYSCONFDIR=... to put it elsewhere, and the units
# will name it with --config. DESTDIR is honoured everywhere.
#
# The unit files in systemd/ name the Debian paths (/usr/bin, /usr/sbin,
# /usr/libexec, /etc); at install time they are rewritten for the prefix in
# effect then (`cmake --install --prefix` included).

if(NOT DEFINED CACHE{CMAKE_INSTALL_SYSCONFDIR})
  set(CMAKE_INSTALL_SYSCONFDIR "/etc" CACHE PATH
      "Read-only configuration (default /etc: where bookingd looks for bookingd/bookingd.toml)")
endif()
include(GNUInstallDirs)

set(BOOKING_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "systemd system units, relative to the prefix or absolute")
set(BOOKING_SYSUSERSDIR "lib/sysusers.d" CACHE STRING "sysusers.d snippets, relative to the prefix or absolute")
set(BOOKING_TMPFILESDIR "lib/tmpfiles.d" CACHE STRING "tmpfiles.d snippets, relative to the prefix or absolute")
set(BOOKING_BASH_COMPLETIONDIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" CACHE STRING
    "bash completions, relative to the prefix or absolute")

set(_booking_doc "${CMAKE_INSTALL_DATADIR}/doc/bookingd")

# --- programs ---------------------------------------------------------------
install(TARGETS bookingctl RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
if(TARGET bookingd)
  # The daemon is an administrator's command: sbin, like its section-8 page.
  install(TARGETS bookingd RUNTIME DESTINATION "${CMAKE_INSTALL_SBINDIR}")
endif()
install(PROGRAMS systemd/bookingd-export DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/bookingd")

# --- manual pages, completion, documentation -----------------------------------
foreach(page bookingctl.1 bookingd.8 bookingd.toml.5)
  if(EXISTS "${PROJECT_SOURCE_DIR}/man/${page}")
    string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section "${page}")
    install(FILES "man/${page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}")
  endif()
endforeach()
install(FILES etc/bookingctl.bash-completion DESTINATION "${BOOKING_BASH_COMPLETIONDIR}"
        RENAME bookingctl)
install(FILES docs/operations.md DESTINATION "${_booking_doc}")
install(FILES etc/crontab.example etc/nginx-bookingd.conf DESTINATION "${_booking_doc}/examples")
if(EXISTS "${PROJECT_SOURCE_DIR}/etc/bookingd.toml")
  install(FILES etc/bookingd.toml DESTINATION "${_booking_doc}/examples")
endif()

# --- install-time helpers ------------------------------------------------------
# Both run inside cmake_install.cmake, where CMAKE_INSTALL_PREFIX is the prefix
# of that run; file(INSTALL) adds DESTDIR and records the install manifest.
set(_booking_install_helpers [==[
function(_booking_full_path out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

# Installs each file of FILES into DIR unless a file of that name is there
# already: an administrator's edits survive reinstalls and upgrades.
function(_booking_install_config dir)
  _booking_full_path(full "${dir}")
  foreach(f IN LISTS ARGN)
    get_filename_component(name "${f}" NAME)
    if(EXISTS "$ENV{DESTDIR}${full}/${name}")
      message(STATUS "Keeping: $ENV{DESTDIR}${full}/${name} (the shipped version is in @DOC@/examples)")
    else()
      file(INSTALL DESTINATION "${full}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
           FILES "${f}")
    endif()
  endforeach()
endfunction()

# Installs a systemd unit or snippet into DIR (as NAME), with the Debian
# paths it names rewritten to this installation's.
function(_booking_install_unit src dir name)
  _booking_full_path(bindir "@CMAKE_INSTALL_BINDIR@")
  _booking_full_path(sbindir "@CMAKE_INSTALL_SBINDIR@")
  _booking_full_path(libexecdir "@CMAKE_INSTALL_LIBEXECDIR@")
  _booking_full_path(sysconfdir "@CMAKE_INSTALL_SYSCONFDIR@")
  _booking_full_path(full "${dir}")
  file(READ "${src}" text)
  string(REPLACE "/usr/bin/bookingctl" "${bindir}/bookingctl" text "${text}")
  string(REPLACE "/usr/sbin/bookingd" "${sbindir}/bookingd" text "${text}")
  string(REPLACE "/usr/libexec/bookingd/" "${libexecdir}/bookingd/" text "${text}")
  string(REPLACE "/etc/bookingd/" "${sysconfdir}/bookingd/" text "${text}")
  # Staged per installation, so that two installs at once (tests) never mix.
  string(MD5 run "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}|${dir}")
  set(staged "@PROJECT_BINARY_DIR@/install-staging/${run}/${name}")
  file(WRITE "${staged}" "${text}")
  file(INSTALL DESTINATION "${full}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES "${staged}")
endfunction()
]==])
set(DOC "${_booking_doc}")
string(CONFIGURE "${_booking_install_helpers}" _booking_install_helpers @ONLY)
install(CODE "${_booking_install_helpers}")

# --- configuration (kept if present) -------------------------------------------
set(_booking_confdir "${CMAKE_INSTALL_SYSCONFDIR}/bookingd")
if(EXISTS "${PROJECT_SOURCE_DIR}/etc/bookingd.toml")
  install(CODE "_booking_install_config(\"${_booking_confdir}\" \"${PROJECT_SOURCE_DIR}/etc/bookingd.toml\")")
endif()
# The templates are globbed when installing, so a new one needs no reconfigure.
# They take effect once mail.templates_dir names the directory.
install(CODE "
file(GLOB _booking_templates LIST_DIRECTORIES false \"${PROJECT_SOURCE_DIR}/etc/templates/*\")
_booking_install_config(\"${_booking_confdir}/templates\" \${_booking_templates})
")

# --- systemd -----------------------------------------------------------------------
foreach(unit bookingd.service bookingctl-export.service bookingctl-export.timer)
  install(CODE "_booking_install_unit(\"${PROJECT_SOURCE_DIR}/systemd/${unit}\" \"${BOOKING_SYSTEMD_UNITDIR}\" ${unit})")
endforeach()
install(CODE "_booking_install_unit(\"${PROJECT_SOURCE_DIR}/systemd/bookingd.sysusers\" \"${BOOKING_SYSUSERSDIR}\" bookingd.conf)")
install(CODE "_booking_install_unit(\"${PROJECT_SOURCE_DIR}/systemd/bookingd.tmpfiles\" \"${BOOKING_TMPFILESDIR}\" bookingd.conf)")
