package io.dcx.hub.support;

import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/**
 * A servlet registered under a given name, looked up once it exists. The fast lanes (servlet filters that hand a hot
 * request straight to Camel's servlet) use it: the registration is a bean, but the filter is created before it.
 */
public final class NamedServlet {

    private final ObjectProvider<ServletRegistrationBean<?>> servlets;
    private final String name;
    private volatile Servlet servlet;

    public NamedServlet(ObjectProvider<ServletRegistrationBean<?>> servlets, String name) {
        this.servlets = servlets;
        this.name = name;
    }

    /** The servlet, or null while none of that name is registered (not cached, so it is found once it is). */
    public Servlet get() {
        Servlet found = servlet;
        if (found == null) {
            found = servlets.orderedStream()
                    .filter(r -> name.equals(r.getServletName()))
                    .<Servlet>map(ServletRegistrationBean::getServlet)
                    .findFirst().orElse(null);
            servlet = found;
        }
        return found;
    }
}
