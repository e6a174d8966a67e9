// CollectionView<T>: read access to a stored collection of type T wherever it is kept: the
// object a boxed Value points at, or, for a small collection kept packed in its entry's slot
// (entry.h), a T borrowing those bytes in place (T::Borrow), built without allocating.
//
// Use it as a pointer: `view->Size()`, `*view`. It is movable; the reference it gives is
// valid while the view lives and the stored value is unchanged, so keep the view, not the
// reference, when the value is read across statements. Not thread-safe.
#pragma once

#include <optional>
#include <utility>

namespace ember::storage {

template <class T>
class CollectionView {
 public:
  // An empty view, to stand in an error result or for a missing key; never dereferenced.
  CollectionView() = default;
  explicit CollectionView(const T* boxed) : boxed_(boxed) {}
  explicit CollectionView(T borrowed) : borrowed_(std::move(borrowed)) {}

  // False only for the empty view.
  explicit operator bool() const { return boxed_ != nullptr || borrowed_.has_value(); }
  const T& operator*() const { return boxed_ != nullptr ? *boxed_ : *borrowed_; }
  const T* operator->() const { return &**this; }

 private:
  const T* boxed_ = nullptr;
  std::optional<T> borrowed_;
};

}  // namespace ember::storage
