// A small HTTP service using only the standard library: GET / and GET /healthz,
// port from $PORT (default 8080), graceful shutdown on SIGTERM/SIGINT.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

var startedAt = time.Now()

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found", "path": r.URL.Path})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"service":       "go-app",
			"message":       "hello from stagebench",
			"go":            runtime.Version(),
			"uptimeSeconds": int(time.Since(startedAt).Seconds()),
			"startedAt":     startedAt.UTC().Format(time.RFC3339),
		})
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

func port() (int, error) {
	value, ok := os.LookupEnv("PORT")
	if !ok || value == "" {
		return 8080, nil
	}
	p, err := strconv.Atoi(value)
	if err != nil || p < 0 || p > 65535 {
		return 0, fmt.Errorf("PORT must be an integer from 0 to 65535, got %q", value)
	}
	return p, nil
}

func main() {
	p, err := port()
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Addr:              fmt.Sprintf("0.0.0.0:%d", p),
		Handler:           newMux(),
		ReadHeaderTimeout: 5 * time.Second,
	}

	// As PID 1 in a container nothing else will stop us cleanly: handle the signals ourselves.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	errc := make(chan error, 1)
	go func() {
		log.Printf("go-app listening on %s", srv.Addr)
		errc <- srv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		log.Fatalf("server: %v", err)
	case <-ctx.Done():
		log.Print("signal received, shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("shutdown: %v", err)
	}
	log.Print("stopped")
}
