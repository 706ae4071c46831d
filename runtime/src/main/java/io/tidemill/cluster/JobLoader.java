package io.tidemill.cluster;

import com.hazelcast.map.IMap;
import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.plan.Planner;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a job's plan from its class and arguments, in the job's class loader: the node's own for a
 * class on its classpath, or one per job over the job's jar (kept in the cluster's jar map, written
 * to a temporary file on each node), closed when the job's executions on this node end.
 */
final class JobLoader {
    private JobLoader() {}

    /** A loaded job: its plan and the class loader its classes come from (close it when done). */
    record Loaded(ExecutionPlan plan, ClassLoader loader, AutoCloseable closer) {}

    static Loaded load(JobSpec spec, IMap<String, byte[]> jars) throws Exception {
        ClassLoader parent = JobLoader.class.getClassLoader();
        ClassLoader loader = parent;
        AutoCloseable closer = () -> {};
        if (spec.jarId() != null) {
            byte[] jar = jars.get(spec.jarId());
            if (jar == null) {
                throw new IllegalArgumentException("job jar " + spec.jarId() + " is not in the cluster (upload it "
                        + "with POST /jars first)");
            }
            Path file = Files.createTempFile("tidemill-job-", ".jar");
            Files.write(file, jar);
            URLClassLoader jarLoader = new URLClassLoader("job-" + spec.id(), new URL[] {file.toUri().toURL()},
                    parent);
            loader = jarLoader;
            closer = () -> {
                try {
                    jarLoader.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            };
        }
        try {
            return new Loaded(plan(spec, loader), loader, closer);
        } catch (Exception | Error e) {
            closeQuietly(closer);
            throw e;
        }
    }

    static ExecutionPlan plan(JobSpec spec, ClassLoader loader) throws Exception {
        Class<?> c;
        try {
            c = Class.forName(spec.className(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("job class " + spec.className() + " is not on the node's classpath"
                    + (spec.jarId() == null ? "" : " nor in jar " + spec.jarId()));
        }
        if (!StreamJob.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("job class " + spec.className() + " does not implement "
                    + StreamJob.class.getName());
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            StreamJob job = (StreamJob) c.getDeclaredConstructor().newInstance();
            Pipeline p = job.build(spec.args());
            p.setParallelism(spec.parallelism());
            return Planner.plan(p);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("job class " + spec.className()
                    + " needs a public no-argument constructor");
        } finally {
            t.setContextClassLoader(before);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception | Error e) {
            // nothing more to do: the loader was only kept for this job
        }
    }

}
