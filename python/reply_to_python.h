// Conversions between Python values and the engine's commands and replies, for the module's
// direct calls (ember.Store): arguments become the byte strings a client would send, and a
// rendered RESP reply becomes Python values the way redis-py returns them without response
// callbacks. Requires the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace ember::python {

// The module's exception types (ember.ResponseError and its subclass ember.WrongTypeError),
// set once when the module loads.
struct ErrorTypes {
  pybind11::handle response_error;
  pybind11::handle wrong_type_error;
};
ErrorTypes& Errors();

// Command arguments as byte views: bytes, bytearray and memoryview as they are, str as
// UTF-8, int and float as redis-py writes them. Views into `args` stay valid while `args`
// lives; converted numbers are kept in `scratch`. Raises TypeError on anything else (None,
// bool, containers), as redis-py refuses them.
std::vector<std::string_view> ArgumentViews(const pybind11::args& args,
                                            std::deque<std::string>* scratch);

// The Python value of one complete RESP reply: bulk and simple strings as bytes (str when
// `decode`), integers as int, null as None, arrays as lists, RESP3 maps as dicts, doubles
// as float, booleans as bool. An error reply at the top raises ResponseError (or
// WrongTypeError) whose message is the error line (code included); one nested in an array (EXEC's)
// becomes an exception object in the list.
pybind11::object ReplyToPython(std::string_view reply, bool decode);

}  // namespace ember::python
