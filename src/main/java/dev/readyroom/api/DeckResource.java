package dev.readyroom.api;

import dev.readyroom.domain.Deck;
import dev.readyroom.domain.Decks;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/decks")
@Produces(MediaType.APPLICATION_JSON)
public class DeckResource {

    @GET
    public List<Deck> decks() {
        return Decks.BUILT_IN;
    }
}
