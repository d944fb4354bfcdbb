// The system SQLite (Debian's libsqlite3-dev) for the sweep results store; see docs/sweeps.md.
#include <sqlite3.h>
