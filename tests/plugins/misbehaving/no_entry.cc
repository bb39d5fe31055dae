// Test plugin: a shared library without the dqa_plugin_entry symbol.
extern "C" __attribute__((visibility("default"))) int not_a_dqaudit_plugin(void) { return 42; }
