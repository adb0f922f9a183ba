// Command pgcluster runs a command against a throw-away PostgreSQL cluster. It creates the
// cluster in a new temporary folder, serves it on a free loopback port, creates the database
// engage_test there and runs the command with storetest.PostgresEnv naming that database.
// When the command ends, or pgcluster is interrupted, it stops the server, removes the folder
// and exits with the command's exit code. make test runs the PostgreSQL half of the tests so:
//
//	go run ./internal/pgcluster -- go test ./store/...
//
// The server binaries come from the newest /usr/lib/postgresql/*/bin, where Debian's
// postgresql package puts them, else from PATH. PostgreSQL refuses to run as root, so under
// root the cluster belongs to, and the server runs as, the postgres user.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/engage-oss/engage/internal/storetest"
)

const (
	role         = "engage"      // the superuser initdb creates
	database     = "engage_test" // the database the command gets
	readyTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

// tools are the server binaries pgcluster runs; they must share a directory.
var tools = []string{"initdb", "postgres", "pg_isready", "createdb"}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run runs the command args against a new cluster and returns the exit code for pgcluster.
func run(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: pgcluster -- command [args...]")
		return 2
	}
	// Caught from here on: a signal before the command starts ends the setup, one while it
	// runs goes on to the command, and none can cut the clean-up short.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)

	c := &cluster{}
	defer c.remove()
	if err := c.start(signals); err != nil {
		fmt.Fprintf(os.Stderr, "pgcluster: %v\n", err)
		var sig interrupted
		if errors.As(err, &sig) {
			return 128 + int(sig.Signal)
		}
		c.printLog()
		return 1
	}
	fmt.Fprintf(os.Stderr, "pgcluster: PostgreSQL of %s on 127.0.0.1:%d, in %s\n", c.bin, c.port, c.dir)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), storetest.PostgresEnv+"="+c.url())
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "pgcluster: %v\n", err)
		return 127
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // its outcome is in cmd.ProcessState
		close(done)
	}()
	for {
		select {
		case sig := <-signals:
			_ = cmd.Process.Signal(sig)
		case <-done:
			return exitCode(cmd.ProcessState)
		}
	}
}

// exitCode returns a finished process's exit code, or 128 plus the signal that ended it,
// as a shell reports it.
func exitCode(state *os.ProcessState) int {
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return state.ExitCode()
}

// interrupted is the error of a setup ended by a signal.
type interrupted struct{ syscall.Signal }

func (i interrupted) Error() string {
	return "interrupted before the command started: " + i.Signal.String()
}

// cluster is a PostgreSQL cluster in a temporary folder and its running server.
type cluster struct {
	bin    string              // directory of the server binaries
	dir    string              // temporary folder: data directory, socket and server log
	cred   *syscall.Credential // the server's user; nil for the current one
	port   int
	server *exec.Cmd
	exited chan struct{} // closed when the server process has ended
	shown  bool          // whether printLog has shown the server log
}

// start creates the cluster, starts its server and creates the database. On an error some
// of it may exist: remove takes care of it.
func (c *cluster) start(signals <-chan os.Signal) error {
	var err error
	if c.bin, err = serverBin(); err != nil {
		return err
	}
	if c.cred, err = serverUser(); err != nil {
		return err
	}
	if c.dir, err = os.MkdirTemp("", "engage-pg-"); err != nil {
		return err
	}
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
	}
	err = quiet(c.command("initdb", "-D", c.data(), "-U", role, "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync"))
	if err != nil && c.cred != nil {
		return fmt.Errorf("%v(it ran as the postgres user, who must reach %s)", err, c.dir)
	}
	if err != nil {
		return err
	}
	if c.port, err = freePort(); err != nil {
		return err
	}
	log, err := os.Create(c.logFile())
	if err != nil {
		return err
	}
	defer log.Close() // the server has its own copy
	c.server = c.command("postgres", "-D", c.data(), "-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+c.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300")
	c.server.Stdout, c.server.Stderr = log, log
	if err := c.server.Start(); err != nil {
		c.server = nil
		return err
	}
	c.exited = make(chan struct{})
	go func() {
		_ = c.server.Wait()
		close(c.exited)
	}()
	if err := c.waitReady(signals); err != nil {
		return err
	}
	err = quiet(c.command("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", role, database))
	if err != nil {
		return err
	}
	select {
	case sig := <-signals:
		return interrupted{sig.(syscall.Signal)}
	default:
		return nil
	}
}

// waitReady polls the server until it accepts connections.
func (c *cluster) waitReady(signals <-chan os.Signal) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		if c.command("pg_isready", "-q", "-U", role, "-h", "127.0.0.1", "-p", strconv.Itoa(c.port)).Run() == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres is not ready after %v", readyTimeout)
		}
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited: %v", c.server.ProcessState)
		case sig := <-signals:
			return interrupted{sig.(syscall.Signal)}
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// remove stops the server with a fast shutdown, killing it when that takes too long, and
// removes the temporary folder.
func (c *cluster) remove() {
	if c.server != nil {
		select {
		case <-c.exited:
			if !c.shown {
				fmt.Fprintf(os.Stderr, "pgcluster: postgres exited early: %v\n", c.server.ProcessState)
				c.printLog()
			}
		default:
			_ = c.server.Process.Signal(os.Interrupt)
			select {
			case <-c.exited:
			case <-time.After(stopTimeout):
				fmt.Fprintf(os.Stderr, "pgcluster: postgres did not stop in %v; killing it\n", stopTimeout)
				_ = syscall.Kill(-c.server.Process.Pid, syscall.SIGKILL) // its process group
				<-c.exited
			}
		}
	}
	if c.dir != "" {
		if err := os.RemoveAll(c.dir); err != nil {
			fmt.Fprintf(os.Stderr, "pgcluster: %v\n", err)
		}
	}
}

// command returns a command of a server binary, run in the temporary folder as the server's
// user, in a process group of its own so that a Ctrl-C in the terminal reaches the command
// under test but leaves the server to remove.
func (c *cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true}
	return cmd
}

func (c *cluster) data() string    { return filepath.Join(c.dir, "data") }
func (c *cluster) logFile() string { return filepath.Join(c.dir, "postgres.log") }

// url returns the URL of the database the command gets.
func (c *cluster) url() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", role, c.port, database)
}

// printLog copies the server log, if there is one, to stderr, once.
func (c *cluster) printLog() {
	if c.server == nil || c.shown {
		return
	}
	c.shown = true
	if log, err := os.ReadFile(c.logFile()); err == nil {
		fmt.Fprintf(os.Stderr, "pgcluster: the server log:\n%s", log)
	}
}

// quiet runs cmd and shows its output only when it fails.
func quiet(cmd *exec.Cmd) error {
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", filepath.Base(cmd.Path), err, out)
	}
	return nil
}

// serverBin returns the directory of the server binaries: the newest version Debian
// installed, else the one initdb on PATH is in, following symbolic links.
func serverBin() (string, error) {
	dir := ""
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	for _, initdb := range found {
		if d := filepath.Dir(initdb); dir == "" || newer(d, dir) {
			dir = d
		}
	}
	if dir == "" {
		initdb, err := exec.LookPath("initdb")
		if err != nil {
			return "", errors.New("PostgreSQL server not found; install Debian's postgresql package")
		}
		if initdb, err = filepath.EvalSymlinks(initdb); err != nil { // to its fellow binaries
			return "", err
		}
		dir = filepath.Dir(initdb)
	}
	for _, tool := range tools {
		if _, err := os.Stat(filepath.Join(dir, tool)); err != nil {
			return "", fmt.Errorf("PostgreSQL server incomplete in %s: %v", dir, err)
		}
	}
	return dir, nil
}

// newer reports whether the version in Debian's directory a, such as 9.6 in
// /usr/lib/postgresql/9.6/bin, is above that of b.
func newer(a, b string) bool {
	va := strings.Split(filepath.Base(filepath.Dir(a)), ".")
	vb := strings.Split(filepath.Base(filepath.Dir(b)), ".")
	for i := 0; i < len(va) && i < len(vb); i++ {
		na, _ := strconv.Atoi(va[i])
		nb, _ := strconv.Atoi(vb[i])
		if na != nb {
			return na > nb
		}
	}
	return len(va) > len(vb)
}

// serverUser returns the credential of the postgres user when pgcluster runs as root, and
// nil, the current user, otherwise.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL does not run as root, and no user to run it as: %v", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
