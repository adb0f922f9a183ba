package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to the new file path while the database
// stays in use: VACUUM INTO on a reader connection, which sees one snapshot and holds no
// write lock, so writers go on meanwhile and the copy holds every transaction committed
// before it began. The copy is written beside path, synced, then renamed to path, so path
// never holds half a copy. It refuses a path that exists, and PostgreSQL, whose own
// pg_dump does this.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.d == postgresDialect {
		return errors.New("store: backup: a PostgreSQL database is backed up with pg_dump")
	}
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	return vacuumInto(ctx, conn, path)
}

// BackupFile is Backup of the database file src, opened read-only on one connection of its
// own: it neither migrates nor takes the write lock, so a busy server never delays it.
func BackupFile(ctx context.Context, src, path string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "5000")
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: src}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	return vacuumInto(ctx, conn, path)
}

// vacuumInto writes the copy of conn's database to the new file path (see Backup).
func vacuumInto(ctx context.Context, conn *sql.Conn, path string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmp := path + ".partial"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	// query_only (the pool's readers) forbids VACUUM INTO; it writes another file only, so
	// lift it on this connection for the statement and set it again before it goes back.
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = off"); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", tmp)
	if _, qerr := conn.ExecContext(context.Background(), "PRAGMA query_only = on"); qerr != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // discards the connection
	}
	if err != nil {
		return fmt.Errorf("store: backup: VACUUM INTO: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return syncFile(filepath.Dir(path))
}

// syncFile flushes a file or a directory to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
