import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Prints a running JVM's allocation and CPU counters, for per-request figures that do not depend on how busy the
 * machine is (scripts/bench-voice-counts.sh reads them before and after a fixed number of calls).
 * usage: java scripts/JvmCounters.java PID
 * prints: total_alloc_bytes request_threads_alloc_bytes process_cpu_ns
 * (request threads: Tomcat's http-nio-* platform threads; 0 when requests run on virtual threads, which the
 * thread bean does not count one by one)
 */
public class JvmCounters {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String address = vm.startLocalManagementAgent();
        vm.detach();
        try (var connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            var threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
                    com.sun.management.ThreadMXBean.class);
            long requestThreads = 0;
            for (var info : ((ThreadMXBean) threads).getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("http-nio-")) {
                    requestThreads += Math.max(0, threads.getThreadAllocatedBytes(info.getThreadId()));
                }
            }
            var os = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                    com.sun.management.OperatingSystemMXBean.class);
            System.out.println(threads.getTotalThreadAllocatedBytes() + " " + requestThreads + " " + os.getProcessCpuTime());
        }
    }
}
