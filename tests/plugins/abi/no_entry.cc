// A shared library that is not a dqaudit plugin: it exports a function, but no entry point.
extern "C" __attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
