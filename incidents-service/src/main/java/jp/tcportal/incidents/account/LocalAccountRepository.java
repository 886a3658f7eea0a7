package jp.tcportal.incidents.account;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface LocalAccountRepository extends JpaRepository<LocalAccount, String> {

  List<LocalAccount> findAllByOrderByUsername();
}
