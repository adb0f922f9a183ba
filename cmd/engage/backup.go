package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/engage-oss/engage/store"
)

// backupOptions are the settings of engage backup.
type backupOptions struct {
	db, out string
}

// newBackupFlags returns the flags of engage backup, bound to a new backupOptions.
func newBackupFlags() (*flag.FlagSet, *backupOptions) {
	o := &backupOptions{}
	fs := flag.NewFlagSet("engage backup", flag.ContinueOnError)
	fs.StringVar(&o.db, "db", "engage.db", "SQLite database `file` to copy (it may be in use by engage serve)")
	fs.StringVar(&o.out, "out", "", "new `file` to write the copy to (required; refused if it exists)")
	withEnvNames(fs)
	return fs, o
}

// backup runs engage backup: a consistent copy of a database, taken while engage serve may
// be using it, that engage serve --db can start from as it is.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := newBackupFlags()
	if err := parseFlags(fs, "Usage: engage backup --db FILE --out FILE", args, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if o.out == "" {
		return usageError{errors.New("--out is required")}
	}
	if store.IsPostgres(o.db) {
		return usageError{errors.New("engage backup copies a SQLite file: back up a PostgreSQL database with pg_dump")}
	}
	begin := time.Now()
	if err := store.BackupFile(ctx, o.db, o.out); err != nil {
		return err
	}
	fi, err := os.Stat(o.out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "engage: %s copied to %s (%d bytes, %s)\n", o.db, o.out, fi.Size(), time.Since(begin).Round(time.Millisecond))
	return nil
}
