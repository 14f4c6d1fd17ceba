//! A room page's live call, kept where the component's cleanup can still
//! reach it: by the time `on_cleanup` runs, the component's stored values
//! may already be gone, and a call left running keeps the camera on.

use std::cell::RefCell;
use std::rc::Rc;

use send_wrapper::SendWrapper;

pub struct CallHandle<T>(SendWrapper<Rc<RefCell<Option<T>>>>);

impl<T> Clone for CallHandle<T> {
    fn clone(&self) -> Self {
        CallHandle(SendWrapper::new(Rc::clone(&self.0)))
    }
}

impl<T> Default for CallHandle<T> {
    fn default() -> Self {
        CallHandle(SendWrapper::new(Rc::new(RefCell::new(None))))
    }
}

impl<T> CallHandle<T> {
    /// Keeps `call`, handing back the one it replaces.
    pub fn set(&self, call: T) -> Option<T> {
        self.0.borrow_mut().replace(call)
    }

    pub fn take(&self) -> Option<T> {
        self.0.borrow_mut().take()
    }

    pub fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        f(self.0.borrow().as_ref())
    }
}
