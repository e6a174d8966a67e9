#include "python/reply_to_python.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ember::python {
namespace py = pybind11;

namespace {

// Reads replies the engine's ReplyWriter rendered: well formed by construction, so a
// malformed one is a bug and raises RuntimeError rather than being guessed at.
class ReplyDecoder {
 public:
  ReplyDecoder(std::string_view bytes, bool decode) : bytes_(bytes), decode_(decode) {}

  py::object Value(bool nested) {
    const char type = Next();
    const std::string_view line = Line();
    switch (type) {
      case '+':
        return Text(line);
      case '-':
        return Error(line, nested);
      case ':':
        return py::reinterpret_steal<py::object>(PyLong_FromLongLong(Integer(line)));
      case '(':
        return py::reinterpret_steal<py::object>(
            PyLong_FromString(std::string(line).c_str(), nullptr, 10));
      case '_':
        return py::none();
      case '#':
        return py::bool_(line == "t");
      case ',':
        return py::float_(Double(line));
      case '$':
      case '=': {
        const int64_t length = Integer(line);
        if (length < 0) return py::none();
        std::string_view payload = Take(static_cast<size_t>(length));
        Take(2);
        if (type == '=') payload.remove_prefix(4);  // "txt:"
        return Text(payload);
      }
      case '*':
      case '~':
      case '>': {
        const int64_t count = Integer(line);
        if (count < 0) return py::none();
        py::list items(count);
        for (int64_t i = 0; i < count; ++i) items[i] = Value(true);
        return items;
      }
      case '%': {
        const int64_t count = Integer(line);
        py::dict map;
        for (int64_t i = 0; i < count; ++i) {
          py::object key = Value(true);
          map[key] = Value(true);
        }
        return map;
      }
      case '|': {  // an attribute map: skipped, the value follows
        const int64_t count = Integer(line);
        for (int64_t i = 0; i < 2 * count; ++i) Value(true);
        return Value(nested);
      }
      default:
        throw std::runtime_error("ember: unexpected reply type from the engine");
    }
  }

 private:
  char Next() {
    if (pos_ >= bytes_.size()) throw std::runtime_error("ember: truncated reply from the engine");
    return bytes_[pos_++];
  }
  std::string_view Line() {
    const size_t end = bytes_.find("\r\n", pos_);
    if (end == std::string_view::npos) {
      throw std::runtime_error("ember: truncated reply from the engine");
    }
    const std::string_view line = bytes_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return line;
  }
  std::string_view Take(size_t n) {
    if (bytes_.size() - pos_ < n)
      throw std::runtime_error("ember: truncated reply from the engine");
    const std::string_view taken = bytes_.substr(pos_, n);
    pos_ += n;
    return taken;
  }
  static int64_t Integer(std::string_view text) {
    int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  static double Double(std::string_view text) {
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  py::object Text(std::string_view text) const {
    if (decode_) return py::str(text.data(), text.size());
    return py::bytes(text.data(), text.size());
  }
  static py::object Error(std::string_view text, bool nested) {
    const bool wrong_type = text.starts_with("WRONGTYPE");
    py::handle type = wrong_type ? Errors().wrong_type_error : Errors().response_error;
    // The whole line, code included: Redis's text, as the server sends it.
    py::object error = type(py::str(text.data(), text.size()));
    if (nested) return error;
    PyErr_SetObject(type.ptr(), error.ptr());
    throw py::error_already_set();
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  bool decode_;
};

}  // namespace

ErrorTypes& Errors() {
  static ErrorTypes types;
  return types;
}

std::vector<std::string_view> ArgumentViews(const py::args& args,
                                            std::deque<std::string>* scratch) {
  std::vector<std::string_view> views;
  views.reserve(args.size());
  for (py::handle arg : args) {
    PyObject* object = arg.ptr();
    if (PyBytes_Check(object)) {
      views.emplace_back(PyBytes_AS_STRING(object), PyBytes_GET_SIZE(object));
    } else if (PyUnicode_Check(object)) {
      Py_ssize_t size = 0;
      const char* data = PyUnicode_AsUTF8AndSize(object, &size);
      if (data == nullptr) throw py::error_already_set();
      views.emplace_back(data, size);
    } else if (PyBool_Check(object)) {
      throw py::type_error(
          "Invalid input of type: 'bool'. Convert to a bytes, string, int or float first.");
    } else if (PyLong_Check(object) || PyFloat_Check(object)) {
      // str() of an int, repr() of a float: what redis-py's encoder writes.
      scratch->push_back(
          py::cast<std::string>(PyLong_Check(object) ? py::str(arg) : py::repr(arg)));
      views.emplace_back(scratch->back());
    } else if (PyObject_CheckBuffer(object)) {
      py::buffer_info info = py::reinterpret_borrow<py::buffer>(arg).request();
      scratch->emplace_back(static_cast<const char*>(info.ptr),
                            static_cast<size_t>(info.size * info.itemsize));
      views.emplace_back(scratch->back());
    } else {
      throw py::type_error("Invalid input of type: '" +
                           py::cast<std::string>(py::type::handle_of(arg).attr("__name__")) +
                           "'. Convert to a bytes, string, int or float first.");
    }
  }
  return views;
}

py::object ReplyToPython(std::string_view reply, bool decode) {
  ReplyDecoder decoder(reply, decode);
  return decoder.Value(false);
}

}  // namespace ember::python
