package io.dcx.hub.powerdialer;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /agent}: the agent's page (static, {@code static/agent/index.html}): sign in, get the Voice SDK token,
 * join the campaign's conference, watch the campaign live, dial on, post dispositions. Public: it holds no data; every
 * call it makes is authenticated.
 */
@RestController
class AgentPage {

    private static final Resource PAGE = new ClassPathResource("static/agent/index.html");

    @GetMapping({"/agent", "/agent/"})
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(PAGE);
    }
}
