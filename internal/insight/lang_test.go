package insight

import (
	"context"
	"testing"

	"github.com/dateline-news/dateline/internal/text"
)

func TestStoryLanguages(t *testing.T) {
	tests := []struct {
		lang, title, body string
	}{
		{"fr", "Le pont de la rivière fermé", `Le conseil municipal a voté mardi la fermeture du vieux pont de la rivière pour des travaux.
Les travaux du pont dureront trois mois selon la mairie, qui prévoit une déviation par le port.
Les habitants du quartier du port craignent des embouteillages pendant les travaux du pont.`},
		{"es", "Cierran el puente del río", `El consejo municipal votó el martes el cierre del viejo puente del río para hacer obras.
Las obras del puente durarán tres meses según el ayuntamiento, que prevé un desvío por el puerto.
Los vecinos del barrio del puerto temen atascos durante las obras del puente.`},
		{"de-AT", "Brücke über den Fluss gesperrt", `Der Stadtrat hat am Dienstag die Sperrung der alten Brücke über den Fluss für Bauarbeiten beschlossen.
Die Bauarbeiten an der Brücke dauern drei Monate, und die Umleitung führt über den Hafen.
Die Anwohner am Hafen fürchten Staus während der Bauarbeiten an der Brücke.`},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			in, err := Story(context.Background(), []Article{{ID: 1, Title: tt.title, Text: tt.body, Outlet: "A", Lang: tt.lang}})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Terms) == 0 {
				t.Fatal("no terms")
			}
			for _, term := range in.Terms {
				if text.IsStop(text.BaseLang(tt.lang), term) {
					t.Errorf("term %q is a stop word in %s: %v", term, tt.lang, in.Terms)
				}
			}
			if len(in.Summary) == 0 {
				t.Error("no summary")
			}
		})
	}
}
