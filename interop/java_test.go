package interop_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// jaxwsJar is Debian's JAX-WS runtime (libjaxws-java); its manifest's Class-Path names the
// JAXB, SAAJ and other jars it needs, all under /usr/share/java.
const jaxwsJar = "/usr/share/java/jaxws-rt.jar"

// TestJAXWS generates a client with wsimport from the running service's WSDL, compiles
// clients/java/Main.java against it and runs the scenario on the SOAP 1.1 port with HTTP
// Basic; the fault surfaces as the generated EngageFault_Exception.
func TestJAXWS(t *testing.T) {
	const install = "apt-get install jaxws libjaxws-java default-jdk-headless"
	need(t, install, "wsimport", "-version")
	need(t, install, "javac", "-version")
	need(t, install, "java", "-version")
	if _, err := os.Stat(jaxwsJar); err != nil {
		t.Fatalf("%v\ninstall it with: %s (.ci/run does)", err, install)
	}
	s := startServer(t)
	dir := t.TempDir()
	gen, classes := filepath.Join(dir, "gen"), filepath.Join(dir, "classes")
	main, err := filepath.Abs("clients/java/Main.java")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(gen, 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "wsimport", "-quiet", "-Xnocompile", "-keep", "-s", gen, "-p", "engage.client", s.wsdl)
	if _, err := os.Stat(filepath.Join(gen, "engage", "client", "EngageFault_Exception.java")); err != nil {
		t.Fatalf("wsimport generated no EngageFault_Exception: %v", err)
	}
	// Every generated file, package-info.java (the namespace) and the wrappers included:
	// javac would not reach them from Main alone.
	sources, err := filepath.Glob(filepath.Join(gen, "engage", "client", "*.java"))
	if err != nil {
		t.Fatal(err)
	}
	javac := append([]string{"-nowarn", "-encoding", "UTF-8", "-cp", jaxwsJar, "-d", classes, main}, sources...)
	run(t, dir, "javac", javac...)
	runClient(t, dir, "java", "-cp", jaxwsJar+string(os.PathListSeparator)+classes, "Main",
		s.wsdl, "java-", operatorName, operatorPassword)
	checkScenario(t, s, wire{basicAuth: true})
}

// run runs a build step in dir and fails the test, showing its output, when it fails.
func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}
