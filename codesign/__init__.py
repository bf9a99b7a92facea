"""codesign: turn what people said in a co-design process into evidence a decision-maker can trust."""
from codesign._version import __version__

from codesign.core.errors import CodesignError, InputError, LeakError, SetupError  # noqa: E402
from codesign.core.project import load_project  # noqa: E402

__all__ = ["CodesignError", "InputError", "LeakError", "SetupError", "load_project", "__version__"]
