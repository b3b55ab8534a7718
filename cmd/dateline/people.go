package main

import (
	"context"
	"errors"
	"io"
)

func users(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	return errors.New("users: not available yet")
}

func migrateCmd(ctx context.Context, args []string, stdout io.Writer) error {
	return errors.New("migrate: not available yet")
}
