// Shared shape of the misbehaving test plugins: one row check `<plugin>.value` on column `column`
// whose Observe() misbehaves on the first row it sees (MISBEHAVE is the plugin's misdeed).
#pragma once

#include "dqaudit/plugin.h"

// Defines the plugin NAME (sector NAME) with one row check "value" whose Observe runs BODY.
#define DQA_MISBEHAVING_PLUGIN(NAME, BODY)                                                  \
  namespace {                                                                               \
  class Value : public dqa::sdk::RowCheck {                                                 \
   public:                                                                                  \
    explicit Value(const dqa::sdk::Params&) {}                                              \
    bool Observe(const dqa::sdk::Row&) override { BODY; }                                   \
  };                                                                                        \
  }                                                                                         \
  DQA_PLUGIN(NAME, "1.0.0", NAME, "Test plugin that misbehaves: " NAME,                     \
             dqa::sdk::MakeRowCheck<Value>(                                                 \
                 "value", "Misbehaves on the first row", "validity",                        \
                 {{"column", dqa::sdk::ParamType::kColumn, true, "any column"}}))
