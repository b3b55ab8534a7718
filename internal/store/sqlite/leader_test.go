package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dateline-news/dateline/internal/store"
)

// TestLeaderAcrossStores: two opens of one database file (as two processes
// would have) never lead at once; a Close gives the leadership up.
func TestLeaderAcrossStores(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	open := func() *Store {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	la, ok, err := a.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("first store: %v %v", ok, err)
	}
	if _, ok, err := b.TryLeader(ctx, store.ClusterLeader); err != nil || ok {
		t.Fatalf("second store led while the first does: %v %v", ok, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	<-la.Lost // Close released it
	lb, ok, err := b.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("second store after the first closed: %v %v", ok, err)
	}
	defer lb.Release()
	if lb.Epoch <= la.Epoch {
		t.Fatalf("epoch %d after %d", lb.Epoch, la.Epoch)
	}
	if _, _, err := b.TryLeader(ctx, "../x"); err == nil {
		t.Fatal("a leader name with a path in it was accepted")
	}
}

// leaderChildEnv makes the test binary a process that leads the database
// it names and waits to be killed.
const leaderChildEnv = "DATELINE_TEST_SQLITE_LEADER"

func TestMain(m *testing.M) {
	if path := os.Getenv(leaderChildEnv); path != "" {
		s, err := Open(context.Background(), path)
		if err != nil {
			fmt.Println(err)
			os.Exit(2)
		}
		if _, ok, err := s.TryLeader(context.Background(), store.ClusterLeader); err != nil || !ok {
			fmt.Println("not leader", ok, err)
			os.Exit(2)
		}
		fmt.Println("leading")
		select {} // until killed
	}
	os.Exit(m.Run())
}

// TestLeaderKilledProcess: another process leading the file keeps this one
// from leading; once it is killed (no chance to clean up) the lock is free.
func TestLeaderKilledProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(ctx, path) // migrated before the child opens it
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), leaderChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "leading\n" {
		t.Fatalf("child: %q %v", line, err)
	}
	if _, ok, err := s.TryLeader(ctx, store.ClusterLeader); err != nil || ok {
		t.Fatalf("led beside another process: %v %v", ok, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) {
		t.Fatalf("child exit: %v", err)
	}
	l, ok, err := s.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("lock of a killed process not freed: %v %v", ok, err)
	}
	l.Release()
}
