# booking_embed(TARGET VAR FILES...) compiles the files into TARGET as a sorted
# table of {name, content} named VAR (see core/embedded.hpp). Used for the SQL
# migrations and the default email templates, so the binaries need no data files.
function(booking_embed target var)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${var}.cpp")
  set(files ${ARGN})
  list(SORT files)
  # Passed as one argument with | between paths (a ; would split the command line).
  list(JOIN files "|" joined)
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DVAR=${var}" "-DFILES=${joined}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake"
    COMMENT "Embedding ${var}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
