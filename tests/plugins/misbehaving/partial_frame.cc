// Test plugin: on the first row, writes to fd 3 (the worker's result stream) the start of a frame
// that looks valid (magic, protocol version 3, type result, a 64-byte payload announced) but stops
// after 10 payload bytes, then goes on: the worker's next frame is read as the rest of it.
#include <unistd.h>

#include "misbehaving.h"

namespace {
bool written = false;

bool WritePartialFrame() {
  if (!written) {
    written = true;
    static const unsigned char kFrame[] = {
        'D', 'Q', 'A', 'W', 3, 4, 0, 0,  // magic, version, type result, reserved
        64,  0,   0,   0,                // payload length
        1,   0,   0,   0,                // sequence number
        0,   0,   0,   0,                // CRC (never checked: the payload never ends)
        '{', '"', 'i', 'd', '"', ':', '"', 'x', '"', ','};
    (void)!::write(3, kFrame, sizeof(kFrame));
  }
  return true;
}
}  // namespace

DQA_MISBEHAVING_PLUGIN("partial_frame", return WritePartialFrame())
