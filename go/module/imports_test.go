package pogows

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPHPImportsAreBuildTagged guards the rule that keeps the package
// CGO-free: a file importing cgo, FrankenPHP or the PHP extension must carry
// a build constraint (the PHP bridge files), so CGO_ENABLED=0 builds and
// -tags nopogophp builds never see them.
func TestPHPImportsAreBuildTagged(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		php := false
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if p == "C" || strings.HasPrefix(p, "github.com/dunglas/frankenphp") || strings.HasSuffix(p, "/go/phpext") {
				php = true
			}
		}
		if php && !hasBuildConstraint(t, name) {
			t.Errorf("%s imports cgo/FrankenPHP/phpext without a build constraint", name)
		}
	}
}

func hasBuildConstraint(t *testing.T, name string) bool {
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if constraint.IsGoBuild(line) {
			return true
		}
		if strings.HasPrefix(line, "package ") {
			return false
		}
	}
	return false
}
