package io.microbatch.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A one-DataNode MiniDFSCluster on 127.0.0.1 for tests and benchmarks; other modules' tests use it
 * through this module's test jar.
 */
public final class MiniHdfs {
  private MiniHdfs() {}

  /** The NameNode by address: the cluster's own URI says localhost, which may resolve to ::1. */
  public static String uri(MiniDFSCluster cluster) {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  /** Starts a cluster whose data lives under {@code baseDir} and waits until it is active. */
  public static MiniDFSCluster start(Path baseDir) throws IOException {
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    c.set("dfs.namenode.safemode.extension", "0");
    c.set("dfs.heartbeat.interval", "1");
    c.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    c.set("dfs.namenode.http-address", "127.0.0.1:0");
    c.set("dfs.datanode.address", "127.0.0.1:0");
    c.set("dfs.datanode.http.address", "127.0.0.1:0");
    c.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    c.set("ipc.client.connect.max.retries", "30");
    c.set("ipc.client.connect.retry.interval", "500");
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    cluster.waitActive();
    return cluster;
  }
}
