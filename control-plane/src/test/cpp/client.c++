// A C++ client of the control plane, on the reference Cap'n Proto runtime (libcapnp-dev) and the real schemas:
// getClusterStatus, getLeader, a publishState with an impossible blueprint (refused) and a valid one.
// Usage: client <host:port>; prints one key=value line per call.
#include "master.capnp.h"
#include <capnp/ez-rpc.h>
#include <iostream>

static void blueprint(Generation::Builder g, double cpu) {
  g.setRepository("acme/cpp");
  g.setBranch("main");
  g.setGitCommit("c0ffee");
  auto vm = g.initBlueprint(1)[0];
  vm.setName("cpp-web");
  vm.setRole("web");
  vm.setCpu(cpu);
  vm.setReplicas(1);
  vm.initMemory().setAmount(256);
  vm.getMemory().setUnit(MemoryUnit::MB);
  auto deployment = vm.initDeployment();
  deployment.setSshUser("root");
  deployment.initStrategy().initRolling().setMaxParallel(1);
  auto closure = g.initClosures(1)[0];
  closure.setVm("cpp-web");
  closure.setStorePath("/nix/store/00000000000000000000000000000000-cpp-web");
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: client host:port" << std::endl;
    return 2;
  }
  capnp::EzRpcClient client(argv[1]);
  auto& waitScope = client.getWaitScope();
  Master::Client master = client.getMain<Master>();

  auto status = master.getClusterStatusRequest().send().wait(waitScope).getStatus();
  std::cout << "status leader=" << status.getLeader().cStr() << " leaderRpc=" << status.getLeaderRpc().cStr()
            << " workers=" << status.getWorkers().size() << " sources=" << status.getSources().size() << std::endl;

  auto leader = master.getLeaderRequest().send().wait(waitScope);
  std::cout << "leader isLeader=" << (leader.getIsLeader() ? "true" : "false")
            << " rpc=" << leader.getRpcAddress().cStr() << std::endl;

  auto bad = master.publishStateRequest();
  blueprint(bad.initGeneration(), 0);
  try {
    bad.send().wait(waitScope);
    std::cout << "bad accepted" << std::endl;
  } catch (const kj::Exception& e) {
    std::cout << "bad refused " << e.getDescription().cStr() << std::endl;
  }

  auto good = master.publishStateRequest();
  blueprint(good.initGeneration(), 1);
  auto published = good.send().wait(waitScope);
  std::cout << "good number=" << published.getNumber() << " changed=" << (published.getChanged() ? "true" : "false")
            << std::endl;
  return 0;
}
