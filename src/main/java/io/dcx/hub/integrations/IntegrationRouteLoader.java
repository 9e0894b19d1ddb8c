package io.dcx.hub.integrations;

import io.dcx.hub.support.DaemonPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LineNumberAware;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Loads the integrators' YAML routes ({@code dcx.integrations.routes-directory}) into the hub's CamelContext and,
 * when {@code dcx.integrations.reload-enabled}, keeps them in step with the folder. It owns only the routes and route
 * configurations that came from those files: the hub's Java routes are never stopped, replaced or removed.
 *
 * <p><b>Why not Camel's own reload</b> ({@code camel.main.routes-reload-*}): with {@code remove-all-routes=true} it
 * removes every route, Java ones included; with {@code false}, Camel 4.17's {@code RouteWatcherReloadStrategy} does
 * not remove the routes of a deleted file, removes the running version of a route before the new one is known to
 * start (a bad endpoint leaves nothing running), and lets a YAML route with a Java route's id replace it. This
 * loader uses Camel's YAML parser ({@code RoutesLoader}) and file watcher, and adds the bookkeeping per file.
 *
 * <ul>
 *   <li><b>Start-up</b> (before the CamelContext starts): every file is parsed and checked — YAML syntax and DSL,
 *       an explicit and unique route id, route configurations that exist, every static endpoint URI resolvable
 *       (placeholders, component, options). The first problem fails start-up with the file and line.</li>
 *   <li><b>Reload</b>: a changed file is checked the same way first; if it fails, its previous routes keep running
 *       and the error is logged and kept for {@code GET /api/integrations/routes}. If its new routes fail to start,
 *       they are removed and the previous version is put back. A deleted file's routes are removed. When a file's
 *       route configurations change, the routes of other files that use them are re-created.</li>
 * </ul>
 */
@Component
public class IntegrationRouteLoader implements CamelContextConfiguration, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IntegrationRouteLoader.class);

    private final IntegrationProperties properties;
    private final Path directory;
    private final Map<String, LoadedFile> files = new TreeMap<>();
    private final Map<String, RouteFailure> routeFailures = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private volatile Set<String> yamlRouteIds = Set.of();
    private volatile CamelContext camel;
    private ScheduledExecutorService reloads;

    /** The last problem with a file: what, where, when. */
    public record LoadError(String message, Integer line, Instant at) {}

    /** The last failed exchange of a YAML route (handled by its error handling or not). */
    public record RouteFailure(String message, boolean handled, Instant at) {}

    /** A file as the API shows it. */
    public record FileView(String file, String status, List<String> routeIds, List<String> routeConfigurationIds,
            Instant loadedAt, LoadError lastError) {}

    /**
     * A loaded YAML route as the API shows it. {@code lastError} is its file's last load error (the route keeps
     * running its previous version); {@code lastFailure} its last failed exchange.
     */
    public record RouteView(String id, String sourceFile, Integer line, String status, String from,
            String routeConfigurationId, LoadError lastError, RouteFailure lastFailure) {}

    private static final class LoadedFile {
        final String name;
        String content;
        List<String> routeIds = List.of();
        List<String> configIds = List.of();
        Map<String, Integer> lines = Map.of();
        Map<String, String> routeConfigs = Map.of();
        Instant loadedAt;
        LoadError lastError;

        LoadedFile(String name) {
            this.name = name;
        }

        boolean loaded() {
            return content != null;
        }
    }

    /** A parsed, checked file that is not in the CamelContext yet. */
    private record Parsed(String name, String content, List<RouteBuilder> builders, List<RouteDefinition> routes,
            List<RouteConfigurationDefinition> configs) {

        List<String> routeIds() {
            return routes.stream().map(RouteDefinition::getRouteId).toList();
        }

        List<String> configIds() {
            return configs.stream().map(RouteConfigurationDefinition::getId).toList();
        }
    }

    public IntegrationRouteLoader(IntegrationProperties properties) {
        this.properties = properties;
        this.directory = Path.of(properties.routesDirectory()).normalize();
    }

    // ------------------------------------------------------------------ start-up

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        camelContext.getManagementStrategy().addEventNotifier(new FailureRecorder());
        if (!Files.isDirectory(directory)) {
            log.info("No integration routes: {} is not a directory", directory.toAbsolutePath());
            return;
        }
        synchronized (this) {
            List<Parsed> all = new ArrayList<>();
            Set<String> routeIds = new HashSet<>();
            Set<String> configIds = new HashSet<>();
            for (String name : routeFiles()) {
                Parsed parsed = parse(name, read(name));
                checkIds(parsed, routeIds, configIds);
                routeIds.addAll(parsed.routeIds());
                configIds.addAll(parsed.configIds());
                all.add(parsed);
            }
            for (Parsed parsed : all) {
                checkReferences(parsed, configIds);
            }
            try {
                for (Parsed parsed : all) {
                    model().addRouteConfigurations(parsed.configs());
                }
                for (Parsed parsed : all) {
                    for (RouteBuilder builder : parsed.builders()) {
                        builder.addRoutesToCamelContext(camelContext);
                    }
                    remember(parsed);
                }
            } catch (Exception e) {
                throw new IllegalStateException("Adding the integration routes failed: " + e.getMessage(), e);
            }
            refreshIds();
            log.info("Loaded {} integration route(s) from {} file(s) in {}", yamlRouteIds.size(), files.size(),
                    directory.toAbsolutePath());
        }
        if (properties.reloadEnabled()) {
            startWatching(camelContext);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: the routes were added before the context started
    }

    // ------------------------------------------------------------------ reload

    private void startWatching(CamelContext camelContext) {
        reloads = Executors.newSingleThreadScheduledExecutor(DaemonPools.named("integration-routes-reload"));
        FileWatcherResourceReloadStrategy watcher =
                new FileWatcherResourceReloadStrategy(directory.toAbsolutePath().toString());
        watcher.setFileFilter(f -> isRouteFile(f.getName()));
        watcher.setResourceReload((name, resource) -> schedule(Path.of(name).getFileName().toString()));
        try {
            camelContext.addService(watcher, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot watch " + directory.toAbsolutePath() + " for route changes", e);
        }
        log.info("Integration routes reload enabled: watching {}", directory.toAbsolutePath());
    }

    /** Reloads the file after the debounce quiet time; a newer change of the same file restarts the wait. */
    void schedule(String name) {
        ScheduledFuture<?> previous = pending.put(name, reloads.schedule(() -> {
            pending.remove(name);
            try {
                reload(name);
            } catch (RuntimeException e) {
                log.error("Reloading integration route file {} failed", display(name), e);
            }
        }, properties.reloadDebounce().toMillis(), TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** Brings one file's routes in line with the file on disk (added, changed or deleted). Never throws for bad YAML. */
    public synchronized void reload(String name) {
        LoadedFile current = files.get(name);
        if (!Files.exists(directory.resolve(name))) {
            if (current != null) {
                Set<String> configs = new HashSet<>(current.configIds);
                unload(current);
                files.remove(name);
                refreshIds();
                log.info("Removed integration route file {}: routes {} removed", display(name), current.routeIds);
                recreateUsersOf(configs, name);
            }
            return;
        }
        String content;
        try {
            content = read(name);
        } catch (IntegrationRouteException e) {
            failed(name, e);
            return;
        }
        if (current != null && current.loaded() && current.lastError == null && content.equals(current.content)) {
            return; // a duplicate watch event
        }
        Parsed parsed;
        try {
            parsed = parse(name, content);
            Set<String> otherRoutes = new HashSet<>();
            Set<String> otherConfigs = new HashSet<>();
            files.values().stream().filter(f -> !f.name.equals(name)).forEach(f -> {
                otherRoutes.addAll(f.routeIds);
                otherConfigs.addAll(f.configIds);
            });
            checkIds(parsed, otherRoutes, otherConfigs);
            Set<String> knownConfigs = new HashSet<>(otherConfigs);
            knownConfigs.addAll(parsed.configIds());
            checkReferences(parsed, knownConfigs);
        } catch (IntegrationRouteException e) {
            failed(name, e);
            return;
        }
        Set<String> changedConfigs = new HashSet<>(parsed.configIds());
        if (current != null) {
            changedConfigs.addAll(current.configIds);
        }
        try {
            if (current != null && current.loaded()) {
                unload(current);
            }
            apply(parsed);
            remember(parsed);
            refreshIds();
            log.info("Loaded integration route file {}: routes {}", display(name), parsed.routeIds());
        } catch (Exception e) {
            rollBack(parsed, current);
            failed(name, new IntegrationRouteException(display(name), lineOf(parsed, e),
                    "the routes did not start: " + rootMessage(e), e));
            return;
        }
        if (!changedConfigs.isEmpty()) {
            recreateUsersOf(changedConfigs, name);
        }
    }

    private void apply(Parsed parsed) throws Exception {
        model().addRouteConfigurations(parsed.configs());
        for (RouteBuilder builder : parsed.builders()) {
            builder.addRoutesToCamelContext(camel);
        }
    }

    /** The new version did not start: remove what it added and put the previous version back. */
    private void rollBack(Parsed failed, LoadedFile previous) {
        try {
            removeRoutes(failed.routeIds());
            removeConfigs(failed.configIds());
            if (previous != null && previous.loaded()) {
                Parsed again = parse(previous.name, previous.content);
                apply(again);
            }
            refreshIds();
        } catch (Exception e) {
            log.error("Putting back the previous routes of {} failed: {}", display(failed.name()), e.getMessage(), e);
        }
    }

    /** Re-creates the routes of other files that use one of these route configurations, so they pick up the change. */
    private void recreateUsersOf(Set<String> configIds, String changedFile) {
        for (LoadedFile file : new ArrayList<>(files.values())) {
            if (file.name.equals(changedFile) || !file.loaded()
                    || file.routeConfigs.values().stream().noneMatch(ids -> usesAny(ids, configIds))) {
                continue;
            }
            try {
                Parsed parsed = parse(file.name, file.content);
                removeRoutes(file.routeIds);
                for (RouteBuilder builder : parsed.builders()) {
                    builder.addRoutesToCamelContext(camel);
                }
                log.info("Re-created the routes of {} after a change of route configurations {}", display(file.name),
                        configIds);
            } catch (Exception e) {
                file.lastError = new LoadError("Re-creating the routes after a change of route configurations "
                        + configIds + " failed: " + rootMessage(e), null, Instant.now());
                log.error("Integration route file {}: {}", display(file.name), file.lastError.message(), e);
            }
        }
        refreshIds();
    }

    private void unload(LoadedFile file) throws IntegrationRouteException {
        try {
            removeRoutes(file.routeIds);
            removeConfigs(file.configIds);
        } catch (Exception e) {
            throw new IntegrationRouteException(display(file.name), null, "removing its routes failed: " + e.getMessage(), e);
        }
        file.routeIds.forEach(routeFailures::remove);
    }

    private void removeRoutes(Collection<String> ids) throws Exception {
        for (String id : ids) {
            RouteDefinition definition = model().getRouteDefinition(id);
            if (definition != null) {
                model().removeRouteDefinition(definition);
            } else if (camel.getRoute(id) != null) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
    }

    private void removeConfigs(Collection<String> ids) throws Exception {
        for (String id : ids) {
            RouteConfigurationDefinition definition = model().getRouteConfigurationDefinition(id);
            if (definition != null) {
                model().removeRouteConfiguration(definition);
            }
        }
    }

    private void failed(String name, IntegrationRouteException e) {
        LoadedFile file = files.computeIfAbsent(name, LoadedFile::new);
        file.lastError = new LoadError(e.getMessage(), e.line(), Instant.now());
        log.error("{} (the previous routes of this file, if any, keep running)", e.getMessage());
    }

    private void remember(Parsed parsed) {
        LoadedFile file = files.computeIfAbsent(parsed.name(), LoadedFile::new);
        file.content = parsed.content();
        file.routeIds = parsed.routeIds();
        file.configIds = parsed.configIds();
        Map<String, Integer> lines = new LinkedHashMap<>();
        Map<String, String> configs = new LinkedHashMap<>();
        for (RouteDefinition route : parsed.routes()) {
            lines.put(route.getRouteId(), lineOf(route));
            if (route.getRouteConfigurationId() != null) {
                configs.put(route.getRouteId(), route.getRouteConfigurationId());
            }
        }
        file.lines = lines;
        file.routeConfigs = configs;
        file.loadedAt = Instant.now();
        file.lastError = null;
    }

    private void refreshIds() {
        Set<String> ids = new LinkedHashSet<>();
        files.values().forEach(f -> ids.addAll(f.routeIds));
        yamlRouteIds = Set.copyOf(ids);
    }

    // ------------------------------------------------------------------ parse and check

    private Parsed parse(String name, String content) {
        String shown = display(name);
        Resource resource = ResourceHelper.fromString("file:" + directory.resolve(name).toAbsolutePath(), content);
        try {
            Collection<RoutesBuilder> found = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource));
            List<RouteBuilder> builders = new ArrayList<>();
            List<RouteDefinition> routes = new ArrayList<>();
            List<RouteConfigurationDefinition> configs = new ArrayList<>();
            for (RoutesBuilder candidate : found) {
                if (!(candidate instanceof RouteBuilder builder)) {
                    throw new IntegrationRouteException(shown, null, "unsupported content", null);
                }
                routes.addAll(builder.configureRoutes(camel).getRoutes());
                if (builder instanceof RouteConfigurationBuilder withConfigs) {
                    withConfigs.setCamelContext(camel);
                    withConfigs.configuration();
                    configs.addAll(withConfigs.getRouteConfigurationCollection().getRouteConfigurations());
                }
                builders.add(builder);
            }
            if (routes.isEmpty() && configs.isEmpty()) {
                throw new IntegrationRouteException(shown, null, "the file declares no route and no routeConfiguration", null);
            }
            return new Parsed(name, content, builders, routes, configs);
        } catch (IntegrationRouteException e) {
            throw e;
        } catch (Exception e) {
            MarkedYamlEngineException marked = find(e, MarkedYamlEngineException.class);
            Integer line = marked == null ? null : marked.getProblemMark().or(marked::getContextMark).map(Mark::getLine)
                    .map(l -> l + 1).orElse(null);
            String problem = marked != null ? marked.getProblem() : rootMessage(e);
            throw new IntegrationRouteException(shown, line, problem == null ? rootMessage(e) : problem.trim(), e);
        }
    }

    /** Every route has its own explicit id, not used by the hub or another file; configuration ids likewise. */
    private void checkIds(Parsed parsed, Set<String> otherFilesRoutes, Set<String> otherFilesConfigs) {
        String shown = display(parsed.name());
        Set<String> mine = new HashSet<>();
        for (RouteDefinition route : parsed.routes()) {
            Integer line = lineOf(route);
            if (!route.hasCustomIdAssigned()) {
                throw new IntegrationRouteException(shown, line, "the route from " + route.getInput().getEndpointUri()
                        + " has no id; every YAML route needs one (reload replaces routes by id)", null);
            }
            String id = route.getRouteId();
            if (!mine.add(id) || otherFilesRoutes.contains(id)) {
                throw new IntegrationRouteException(shown, line, "route id " + id + " is used by another YAML route", null);
            }
            if (isHubRoute(id)) {
                throw new IntegrationRouteException(shown, line, "route id " + id
                        + " belongs to one of the hub's own routes; choose another id", null);
            }
        }
        for (RouteConfigurationDefinition config : parsed.configs()) {
            String id = config.getId();
            Integer line = config.getLineNumber() > 0 ? config.getLineNumber() : null;
            if (id == null || id.isBlank()) {
                throw new IntegrationRouteException(shown, line, "a routeConfiguration needs an id", null);
            }
            if (otherFilesConfigs.contains(id) || isHubConfiguration(id)) {
                throw new IntegrationRouteException(shown, line, "routeConfiguration id " + id + " is already used", null);
            }
        }
    }

    /** Route configurations that exist, and endpoints that resolve (placeholders, component, options). */
    private void checkReferences(Parsed parsed, Set<String> yamlConfigs) {
        String shown = display(parsed.name());
        for (RouteDefinition route : parsed.routes()) {
            String configs = route.getRouteConfigurationId();
            if (configs != null) {
                for (String id : configs.split(",")) {
                    String trimmed = id.trim();
                    if (!trimmed.isEmpty() && !trimmed.contains("*") && !yamlConfigs.contains(trimmed)
                            && !isHubConfiguration(trimmed)) {
                        throw new IntegrationRouteException(shown, lineOf(route),
                                "routeConfigurationId " + trimmed + " does not exist", null);
                    }
                }
            }
            checkEndpoint(shown, route.getInput().getEndpointUri(), lineOf(route));
            for (EndpointRequiredDefinition out :
                    ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)) {
                Integer line = out instanceof LineNumberAware aware && aware.getLineNumber() > 0 ? aware.getLineNumber() : null;
                checkEndpoint(shown, out.getEndpointUri(), line);
            }
        }
        for (RouteConfigurationDefinition config : parsed.configs()) {
            config.getOnExceptions().forEach(onException -> {
                for (EndpointRequiredDefinition out :
                        ProcessorDefinitionHelper.filterTypeInOutputs(onException.getOutputs(), EndpointRequiredDefinition.class)) {
                    checkEndpoint(shown, out.getEndpointUri(), onException.getLineNumber() > 0 ? onException.getLineNumber() : null);
                }
            });
        }
    }

    private void checkEndpoint(String file, String uri, Integer line) {
        if (uri == null || uri.isBlank()) {
            return;
        }
        String resolved;
        try {
            resolved = camel.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            throw new IntegrationRouteException(file, line, "endpoint " + uri + ": " + rootMessage(e), e);
        }
        if (resolved.contains("${")) {
            return; // dynamic (toD): resolved per message
        }
        int colon = resolved.indexOf(':');
        if (colon <= 0) {
            throw new IntegrationRouteException(file, line, "endpoint " + uri + " has no component scheme", null);
        }
        String scheme = resolved.substring(0, colon);
        if (camel.getComponent(scheme) == null) {
            throw new IntegrationRouteException(file, line, "unknown component '" + scheme + "' in endpoint "
                    + URISupport.sanitizeUri(uri) + " (no camel-" + scheme.toLowerCase(Locale.ROOT)
                    + " on the hub's classpath)", null);
        }
        try {
            camel.getEndpoint(resolved);
        } catch (RuntimeException e) {
            throw new IntegrationRouteException(file, line, "endpoint " + URISupport.sanitizeUri(uri) + ": "
                    + rootMessage(e), e);
        }
    }

    private boolean isHubRoute(String id) {
        return (model().getRouteDefinition(id) != null || camel.getRoute(id) != null) && !yamlRouteIds.contains(id);
    }

    private boolean isHubConfiguration(String id) {
        if (model().getRouteConfigurationDefinition(id) == null) {
            return false;
        }
        return files.values().stream().noneMatch(f -> f.configIds.contains(id));
    }

    private static boolean usesAny(String routeConfigurationIds, Set<String> ids) {
        for (String id : routeConfigurationIds.split(",")) {
            if (ids.contains(id.trim())) {
                return true;
            }
        }
        return false;
    }

    private Integer lineOf(Parsed parsed, Exception e) {
        String message = rootMessage(e);
        for (RouteDefinition route : parsed.routes()) {
            if (message.contains(route.getRouteId())) {
                return lineOf(route);
            }
        }
        return null;
    }

    private static Integer lineOf(RouteDefinition route) {
        int line = route.getLineNumber() > 0 ? route.getLineNumber()
                : route.getInput() != null ? route.getInput().getLineNumber() : -1;
        return line > 0 ? line : null;
    }

    // ------------------------------------------------------------------ what the API shows

    public synchronized List<FileView> files() {
        List<FileView> out = new ArrayList<>();
        for (LoadedFile f : files.values()) {
            String status = !f.loaded() ? "FAILED" : f.lastError != null ? "LOADED_WITH_ERROR" : "LOADED";
            out.add(new FileView(display(f.name), status, f.routeIds, f.configIds, f.loadedAt, f.lastError));
        }
        return out;
    }

    public synchronized List<RouteView> routes() {
        List<RouteView> out = new ArrayList<>();
        for (LoadedFile f : files.values()) {
            for (String id : f.routeIds) {
                Route route = camel.getRoute(id);
                ServiceStatus status = camel.getRouteController().getRouteStatus(id);
                out.add(new RouteView(id, display(f.name), f.lines.get(id), status == null ? "Removed" : status.name(),
                        route == null ? null : URISupport.sanitizeUri(route.getEndpoint().getEndpointBaseUri()),
                        f.routeConfigs.get(id), f.lastError, routeFailures.get(id)));
            }
        }
        return out;
    }

    public String directory() {
        return directory.toAbsolutePath().toString();
    }

    public boolean reloadEnabled() {
        return properties.reloadEnabled();
    }

    /** Whether the route came from a YAML file (the hub's own routes did not). */
    public boolean isYamlRoute(String routeId) {
        return yamlRouteIds.contains(routeId);
    }

    // ------------------------------------------------------------------ helpers

    private List<String> routeFiles() {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(IntegrationRouteLoader::isRouteFile)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory.toAbsolutePath(), e);
        }
    }

    static boolean isRouteFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".yaml") || lower.endsWith(".yml"));
    }

    private String read(String name) {
        try {
            return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IntegrationRouteException(display(name), null, "cannot be read: " + e.getMessage(), e);
        }
    }

    private String display(String name) {
        return directory.resolve(name).toString();
    }

    private Model model() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName());
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public void destroy() {
        if (reloads != null) {
            reloads.shutdownNow();
        }
    }

    /** Keeps the last failed exchange of each YAML route, handled or not. */
    private final class FailureRecorder extends EventNotifierSupport {

        FailureRecorder() {
            setIgnoreCamelContextEvents(true);
            setIgnoreCamelContextInitEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreExchangeAsyncProcessingStartedEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeFailedEvent || event instanceof CamelEvent.ExchangeFailureHandledEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
            String routeId = exchange.getFromRouteId();
            if (routeId == null || !yamlRouteIds.contains(routeId)) {
                return;
            }
            Throwable cause = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            routeFailures.put(routeId, new RouteFailure(cause == null ? "failed" : rootMessage(cause),
                    event instanceof CamelEvent.ExchangeFailureHandledEvent, Instant.now()));
        }
    }
}
