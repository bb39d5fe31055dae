# dqaudit_add_plugin(NAME src1 [src2 ...] [OUTPUT_DIRECTORY dir] [INSTALL_DESTINATION dir])
#
# Builds a dqaudit plugin: a MODULE library named NAME.so (no "lib" prefix) against dqaudit::sdk,
# with hidden visibility, -fno-gnu-unique (so two plugins never share an inline static) and a
# linker version script that exports only the entry point dqa_plugin_entry.
# OUTPUT_DIRECTORY defaults to DQAUDIT_PLUGIN_OUTPUT_DIRECTORY when set; INSTALL_DESTINATION defaults
# to DQAUDIT_PLUGIN_INSTALL_DIR when set (no install rule otherwise).
include_guard(GLOBAL)

function(dqaudit_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY;INSTALL_DESTINATION" "" ${ARGN})
  if(NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "dqaudit_add_plugin(${name}): no source files")
  endif()
  add_library(${name} MODULE ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE dqaudit::sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  set(exports "${CMAKE_CURRENT_BINARY_DIR}/${name}.exports")
  file(WRITE "${exports}" "{\n  global: dqa_plugin_entry;\n  local: *;\n};\n")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    LINK_DEPENDS "${exports}")
  if(DEFINED DQA_WARNINGS)  # inside the dqaudit tree: the project's warning flags
    target_compile_options(${name} PRIVATE ${DQA_WARNINGS})
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE -fno-gnu-unique)
  endif()
  if(NOT APPLE AND NOT WIN32)
    target_link_options(${name} PRIVATE "LINKER:--version-script=${exports}" "LINKER:-z,defs"
                        "LINKER:-z,now")
  endif()
  if(NOT ARG_OUTPUT_DIRECTORY AND DQAUDIT_PLUGIN_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY "${DQAUDIT_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  if(NOT ARG_INSTALL_DESTINATION AND DQAUDIT_PLUGIN_INSTALL_DIR)
    set(ARG_INSTALL_DESTINATION "${DQAUDIT_PLUGIN_INSTALL_DIR}")
  endif()
  if(ARG_INSTALL_DESTINATION)
    install(TARGETS ${name} LIBRARY DESTINATION "${ARG_INSTALL_DESTINATION}"
            PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                        WORLD_READ WORLD_EXECUTE)
  endif()
endfunction()
