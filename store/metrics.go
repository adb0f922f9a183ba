package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/engage-oss/engage/provisioning"
)

// file returns the SQLite file of the main database, as SQLite names it.
func (db *DB) file(ctx context.Context) (string, error) {
	var path string
	err := db.reader.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path)
	return path, err
}

// Size returns the bytes the database occupies on disk: SQLite's file with its write-ahead
// log and shared-memory index, or PostgreSQL's whole database.
func (db *DB) Size(ctx context.Context) (int64, error) {
	if db.d == postgresDialect {
		var n int64
		err := db.reader.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
		return n, err
	}
	path, err := db.file(ctx)
	if err != nil {
		return 0, err
	}
	return fileSize(path)
}

// Ping runs a trivial query on a reader connection: it fails when the database cannot answer
// (closed, the file gone unreadable).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// fileSize returns the bytes a database at path occupies on disk: the file and its
// write-ahead log and shared-memory index. Missing files count as zero.
func fileSize(path string) (int64, error) {
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(path + suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return total, err
		}
		total += fi.Size()
	}
	return total, nil
}

// Metrics are the store's Prometheus metrics: the duration of its transactions and the size
// of its files.
type Metrics struct {
	txSeconds *prometheus.HistogramVec
}

// NewMetrics registers the store's metrics for db on reg: engage_store_transaction_seconds
// (by kind, read or write) and engage_database_size_bytes.
func NewMetrics(reg prometheus.Registerer, db *DB) (*Metrics, error) {
	m := &Metrics{txSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "engage_store_transaction_seconds",
		Help:    "Duration of store transactions, from begin to commit or rollback, by kind (read or write).",
		Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10), // 100 µs to 26 s
	}, []string{"kind"})}
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "engage_database_size_bytes",
		Help: "Bytes the database occupies on disk: SQLite's file, its -wal and its -shm, or PostgreSQL's database.",
	}, func() float64 {
		n, _ := db.Size(context.Background())
		return float64(n)
	})
	for _, c := range []prometheus.Collector{m.txSeconds, size} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Instrument returns s measured by m: every Read and Write it runs is timed.
func (m *Metrics) Instrument(s provisioning.Store) provisioning.Store {
	return &instrumented{Store: s, read: m.txSeconds.WithLabelValues("read"), write: m.txSeconds.WithLabelValues("write")}
}

// instrumented is a provisioning.Store whose transactions are timed.
type instrumented struct {
	provisioning.Store
	read, write prometheus.Observer
}

// Session begins a session of the underlying store when it has them (see
// provisioning.Sessions).
func (s *instrumented) Session(ctx context.Context) (context.Context, func()) {
	return provisioning.SessionOf(ctx, s.Store)
}

// Read runs fn in a read transaction of the underlying store and records its duration.
func (s *instrumented) Read(ctx context.Context, fn func(provisioning.Tx) error) error {
	begin := time.Now()
	err := s.Store.Read(ctx, fn)
	s.read.Observe(time.Since(begin).Seconds())
	return err
}

// Write runs fn in a write transaction of the underlying store and records its duration,
// waiting for the writer included.
func (s *instrumented) Write(ctx context.Context, fn func(provisioning.Tx) error) error {
	begin := time.Now()
	err := s.Store.Write(ctx, fn)
	s.write.Observe(time.Since(begin).Seconds())
	return err
}
